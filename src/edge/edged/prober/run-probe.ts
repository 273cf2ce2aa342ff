// One probe attempt (kubelet: prober.runProbe). Every attempt ends within timeoutSeconds, whatever the
// target or the runtime does, and never throws: errors become 'unknown' (kubelet discards those).
import type { RuntimeService } from '../../runtime/types.js';
import type { Json, ProbeKind, ProbeTarget, RunProbe } from '../pod-contracts.js';
import { execProbe, execTimedOut, type ProbeOutcome } from './exec-probe.js';
import { grpcProbe } from './grpc-probe.js';
import { httpProbe, httpTimedOut, probeURL } from './http-probe.js';
import { expandStatic, joinHostPort, probeHandler, probeTiming, resolvePort, type ProbeHandler } from './probe-spec.js';
import { tcpProbe } from './tcp-probe.js';

interface Attempt {
  run(signal: AbortSignal): Promise<ProbeOutcome>;
  /** What a probe that ran out of time reports (a failure, as in kubelet). */
  timedOut(): ProbeOutcome;
}

/** An empty host dials the local system in Go; so it does here (host-network and process pods). */
function hostOf(explicit: string, podIP: string): string {
  return explicit !== '' ? explicit : podIP !== '' ? podIP : '127.0.0.1';
}

function attemptFor(handler: ProbeHandler, target: ProbeTarget, runtime: RuntimeService, timeoutSeconds: number): Attempt {
  switch (handler.type) {
    case 'exec': {
      const command = expandStatic(handler.command, target.container);
      return { run: () => execProbe(runtime, target.containerId, command, timeoutSeconds), timedOut: () => execTimedOut(command) };
    }
    case 'httpGet': {
      const host = hostOf(handler.host, target.podIP);
      const url = probeURL(handler.scheme, joinHostPort(host, resolvePort(handler.port, target.container)), handler.path);
      return { run: (signal) => httpProbe(url, handler.headers, signal), timedOut: () => httpTimedOut(url) };
    }
    case 'tcpSocket': {
      const host = hostOf(handler.host, target.podIP);
      const port = resolvePort(handler.port, target.container);
      return {
        run: (signal) => tcpProbe(host, port, signal),
        timedOut: () => ({ result: 'failure', message: `dial tcp ${joinHostPort(host, port)}: i/o timeout` }),
      };
    }
    case 'grpc': {
      // The API allows only a number here (no named ports for grpc).
      const port = typeof handler.port === 'number' ? resolvePort(handler.port, target.container) : Number.NaN;
      if (Number.isNaN(port)) throw new Error(`invalid grpc probe port: ${String(handler.port)}`);
      const addr = joinHostPort(hostOf('', target.podIP), port);
      return {
        run: () => grpcProbe(addr, handler.service, timeoutSeconds),
        timedOut: () => ({ result: 'failure', message: `timeout: health rpc did not complete within ${timeoutSeconds}s` }),
      };
    }
  }
}

export const runProbe: RunProbe = async (probe: Json, kind: ProbeKind, target: ProbeTarget, runtime: RuntimeService) => {
  const handler = probeHandler(probe);
  if (!handler) return { result: 'unknown', message: `missing probe handler for ${target.container.name}` };
  const { timeoutSeconds } = probeTiming(probe, kind);
  let attempt: Attempt;
  try {
    attempt = attemptFor(handler, target, runtime, timeoutSeconds);
  } catch (err) {
    return { result: 'unknown', message: err instanceof Error ? err.message : String(err) };
  }
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<ProbeOutcome>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve(attempt.timedOut());
    }, timeoutSeconds * 1000);
  });
  try {
    const running = attempt.run(abort.signal).catch((err: unknown) => ({
      result: 'unknown' as const,
      message: err instanceof Error ? err.message : String(err),
    }));
    return await Promise.race([running, deadline]);
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
};
