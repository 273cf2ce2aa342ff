// Dials cloudstream's tunnel: TLS with the node's client certificate (fresh PEM on every dial, so a
// rotated certificate is picked up), then a WebSocket upgrade naming the node.
import WebSocket from 'ws';
import { TUNNEL_NODE_HEADER, TUNNEL_PATH } from '../../core/tunnel/index.js';

export interface TunnelTls { caPem: string; certPem: string; keyPem: string }

/** wss://host:port, with or without a path: the tunnel path is ours. */
export function tunnelUrl(server: string): string {
  const u = new URL(server.includes('://') ? server : `wss://${server}`);
  u.protocol = 'wss:';
  u.pathname = TUNNEL_PATH;
  u.search = '';
  return u.toString();
}

export function dialTunnel(opts: { server: string; nodeName: string; tls: TunnelTls; handshakeTimeoutMs: number; signal: AbortSignal }): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(tunnelUrl(opts.server), {
      headers: { [TUNNEL_NODE_HEADER]: opts.nodeName },
      ca: opts.tls.caPem,
      cert: opts.tls.certPem,
      key: opts.tls.keyPem,
      handshakeTimeout: opts.handshakeTimeoutMs,
      // Frames are at most MAX_DATA_CHUNK plus a header; anything far larger is a broken peer.
      maxPayload: 4 * 1024 * 1024,
      perMessageDeflate: false,
    });
    const onAbort = (): void => { ws.terminate(); };
    const cleanup = (): void => {
      ws.off('open', onOpen);
      ws.off('error', onError);
      ws.off('unexpected-response', onRefused);
      opts.signal.removeEventListener('abort', onAbort);
    };
    const onOpen = (): void => { cleanup(); resolve(ws); };
    const onError = (err: Error): void => { cleanup(); ws.terminate(); reject(err); };
    const onRefused = (_req: unknown, res: { statusCode?: number }): void => {
      cleanup();
      ws.terminate();
      reject(new Error(`tunnel upgrade refused with HTTP ${res.statusCode ?? 0}`));
    };
    ws.on('open', onOpen);
    ws.on('error', onError);
    ws.on('unexpected-response', onRefused);
    opts.signal.addEventListener('abort', onAbort, { once: true });
  });
}
