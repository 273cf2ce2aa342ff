// edgestream: keeps one tunnel to cloudcore's cloudstream and serves kubectl logs/exec sessions on it.
// Reconnects with capped, jittered backoff (edgehub's policy); a silent tunnel (no ping from the
// cloud for silenceMs) is cut and redialled.
import type { Logger } from '../../core/index.js';
import type { ContainerLocator } from '../edged/pod-contracts.js';
import { BACKOFF_RESET_AFTER_MS, DEFAULT_BACKOFF, backoffDelay, type BackoffPolicy } from '../edgehub/index.js';
import type { RuntimeService } from '../runtime/types.js';
import { dialTunnel, type TunnelTls } from './dial.js';
import { EdgeTunnelConn } from './tunnel-conn.js';

export interface EdgeStreamOptions {
  /** wss://host:tunnelPort (KubeEdge default port 10004). */
  server: string;
  nodeName: string;
  /** Read on every dial, so a rotated certificate is used from the next connection on. */
  tls: () => TunnelTls;
  locator: ContainerLocator;
  runtime: RuntimeService;
  log: Logger;
  signal?: AbortSignal;
  backoff?: Partial<BackoffPolicy>;
  handshakeTimeoutMs?: number;
  /** The cloud pings every 15 s; no ping for this long cuts the tunnel (default 45 s). */
  silenceMs?: number;
  random?: () => number;
}

export type EdgeStreamState = 'connecting' | 'connected' | 'waiting' | 'stopped';

export interface EdgeStream {
  state(): EdgeStreamState;
  stop(): Promise<void>;
}

export function startEdgeStream(o: EdgeStreamOptions): EdgeStream {
  const stop = new AbortController();
  const onOuterAbort = (): void => stop.abort();
  o.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let state: EdgeStreamState = 'connecting';
  const policy: BackoffPolicy = { ...DEFAULT_BACKOFF, ...o.backoff };
  const log = o.log;

  const connectOnce = async (): Promise<number> => {
    state = 'connecting';
    const ws = await dialTunnel({ server: o.server, nodeName: o.nodeName, tls: o.tls(), handshakeTimeoutMs: o.handshakeTimeoutMs ?? 30_000, signal: stop.signal });
    const since = Date.now();
    state = 'connected';
    log.info('connected', { server: o.server });
    const conn = new EdgeTunnelConn(ws, { locator: o.locator, runtime: o.runtime, log });
    const silence = o.silenceMs ?? 45_000;
    let timer = setTimeout(() => ws.terminate(), silence);
    ws.on('ping', () => { clearTimeout(timer); timer = setTimeout(() => ws.terminate(), silence); });
    ws.on('error', (err) => log.warn('tunnel error', { error: err.message }));
    const onStop = (): void => ws.close(1001, 'edgestream stopping');
    stop.signal.addEventListener('abort', onStop, { once: true });
    await conn.closed;
    clearTimeout(timer);
    stop.signal.removeEventListener('abort', onStop);
    log.info('disconnected', { server: o.server });
    return Date.now() - since;
  };

  const loop = async (): Promise<void> => {
    let attempt = 0;
    while (!stop.signal.aborted) {
      try {
        const upMs = await connectOnce();
        attempt = upMs >= BACKOFF_RESET_AFTER_MS ? 1 : attempt + 1;
      } catch (err) {
        attempt++;
        if (!stop.signal.aborted) log.warn('dial failed', { server: o.server, error: (err as Error).message, attempt });
      }
      if (stop.signal.aborted) break;
      state = 'waiting';
      await sleep(backoffDelay(attempt, policy, o.random ?? Math.random), stop.signal);
    }
    state = 'stopped';
  };
  const running = loop();

  return {
    state: () => state,
    stop: async () => {
      stop.abort();
      o.signal?.removeEventListener('abort', onOuterAbort);
      await running;
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) { resolve(); return; }
    const done = (): void => { clearTimeout(t); signal.removeEventListener('abort', done); resolve(); };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
