// Dials cloudhub: TCP → mutual TLS (fresh PEM on each dial) → WebSocket upgrade with KubeEdge's
// path and headers and a small permessage-deflate offer. The raw TCP socket is kept so metrics count
// the bytes on the wire, TLS records included (the idle-uplink figure of the issue).
import net from 'node:net';
import tls from 'node:tls';
import WebSocket, { type PerMessageDeflateOptions } from 'ws';
import { EdgeHubError } from './errors.js';
import type { TlsMaterial } from './options.js';
import { UPSTREAM_ACK_HEADER, UPSTREAM_ACK_VERSION } from './wire.js';

/**
 * Compression with context takeover and 1 KiB windows (2^10) on both sides: a repeated keepalive
 * shrinks to a few bytes, and each link costs the cloud ~8 KiB of zlib state per direction instead
 * of ~300 KiB with the defaults. threshold 0 compresses even the ~160-byte keepalive. A KubeEdge
 * cloudcore (gorilla without EnableCompression) declines the offer and frames go uncompressed.
 */
export const EDGE_DEFLATE: PerMessageDeflateOptions = {
  clientMaxWindowBits: 10,
  serverMaxWindowBits: 10,
  clientNoContextTakeover: false,
  serverNoContextTakeover: false,
  threshold: 0,
  zlibDeflateOptions: { memLevel: 3, level: 6 },
};

export interface DialRequest {
  url: string;
  headers: Record<string, string>;
  tls: TlsMaterial;
  handshakeTimeoutMs: number;
  /** Frames larger than this close the link (ws maxPayload); the decoder's own limit is lower. */
  maxPayload: number;
  /** Aborting gives up the dial (stop() while connecting). */
  signal?: AbortSignal;
}

export interface Dialed {
  ws: WebSocket;
  /** The cloud answered the upgrade with UPSTREAM_ACK_HEADER: it acks our upstream messages. */
  acks: boolean;
  /** The TCP socket under TLS: bytesRead / bytesWritten are wire bytes. */
  raw: net.Socket;
}

export function dial(req: DialRequest): Promise<Dialed> {
  return new Promise<Dialed>((resolve, reject) => {
    let raw: net.Socket | undefined;
    let acks = false;
    const ws = new WebSocket(req.url, {
      headers: req.headers,
      handshakeTimeout: req.handshakeTimeoutMs,
      maxPayload: req.maxPayload,
      perMessageDeflate: EDGE_DEFLATE,
      createConnection: ((opts: { host?: string; port?: number | string }) => {
        const host = opts.host ?? 'localhost';
        raw = net.connect({ host, port: Number(opts.port) });
        return tls.connect({
          socket: raw,
          host,
          servername: net.isIP(host) === 0 ? host : undefined,
          ca: req.tls.caPem,
          cert: req.tls.certPem,
          key: req.tls.keyPem,
          ALPNProtocols: ['http/1.1'],
        });
      }) as unknown as typeof net.createConnection,
    });
    const fail = (err: Error): void => {
      cleanup();
      ws.terminate();
      reject(new EdgeHubError('dial_failed', err.message, { cause: err }));
    };
    const onUpgrade = (res: { headers: Record<string, string | string[] | undefined> }): void => {
      acks = res.headers[UPSTREAM_ACK_HEADER] === UPSTREAM_ACK_VERSION;
    };
    const onOpen = (): void => {
      cleanup();
      if (!raw) return fail(new Error('no socket after upgrade'));
      resolve({ ws, acks, raw });
    };
    const onUnexpected = (_r: unknown, res: { statusCode?: number }): void => {
      fail(new Error(`upgrade refused with HTTP ${res.statusCode ?? 0}`));
    };
    let cleaned = false;
    const cleanup = (): void => {
      if (cleaned) return;
      cleaned = true;
      req.signal?.removeEventListener('abort', onAbort);
      ws.off('error', fail);
      ws.off('upgrade', onUpgrade);
      ws.off('open', onOpen);
      ws.off('unexpected-response', onUnexpected);
      // Errors after a failed dial (e.g. from terminate) have nobody to tell.
      ws.on('error', () => undefined);
    };
    const onAbort = (): void => fail(new Error('dial aborted'));
    if (req.signal?.aborted) return fail(new Error('dial aborted'));
    req.signal?.addEventListener('abort', onAbort, { once: true });
    ws.on('error', fail);
    ws.on('upgrade', onUpgrade);
    ws.on('open', onOpen);
    ws.on('unexpected-response', onUnexpected);
  });
}
