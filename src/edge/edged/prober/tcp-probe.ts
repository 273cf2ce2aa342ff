// tcpSocket probes: success when a TCP connection opens (kubelet: probe/tcp, net.DialTimeout).
import { connect } from 'node:net';
import { joinHostPort } from './probe-spec.js';
import type { ProbeOutcome } from './exec-probe.js';

export function tcpProbe(host: string, port: number, signal: AbortSignal): Promise<ProbeOutcome> {
  const addr = joinHostPort(host, port);
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const finish = (outcome: ProbeOutcome): void => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(outcome);
    };
    const onAbort = (): void => finish({ result: 'failure', message: `dial tcp ${addr}: i/o timeout` });
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish({ result: 'success', message: '' }));
    socket.once('error', (err) => finish({ result: 'failure', message: `dial tcp ${addr}: ${err.message}` }));
  });
}
