// The listening side: an https server with mutual TLS and WebSocket servers in noServer mode.
// Mirrors KubeEdge's createTLSConfig (client certs required and verified against our CA only,
// TLS 1.2 minimum). Handshakes that never finish are cut after handshakeTimeoutMs: the TLS part by
// the TLS server's handshakeTimeout, the HTTP part by headersTimeout/requestTimeout.
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type PerMessageDeflateOptions } from 'ws';
import type { RejectReason } from './metrics.js';
import type { ResolvedOptions } from './options.js';
import { UPSTREAM_ACK_HEADER, UPSTREAM_ACK_VERSION } from './types.js';
import { wantsUpstreamAck } from './identity.js';

export interface TransportEvents {
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  rejected(reason: RejectReason, fields: Record<string, unknown>): void;
}

export function createHubServer(opts: ResolvedOptions, events: TransportEvents): https.Server {
  const server = https.createServer({
    key: opts.tls.keyPem,
    cert: opts.tls.certPem,
    ca: opts.tls.caPem,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
    handshakeTimeout: opts.handshakeTimeoutMs,
    headersTimeout: opts.handshakeTimeoutMs,
    requestTimeout: opts.handshakeTimeoutMs,
    // How often Node checks headersTimeout/requestTimeout (default 30 s).
    connectionsCheckingInterval: Math.min(1_000, opts.handshakeTimeoutMs),
  });
  server.on('request', (_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain', connection: 'close', upgrade: 'websocket' });
    res.end('cloudhub speaks WebSocket only\n');
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => events.upgrade(req, socket, head));
  // https forwards TLS-phase errors to 'clientError' too; those sockets are counted here and only
  // destroyed there. Sockets that finished TLS are remembered to tell the phases apart.
  const secured = new WeakSet<Duplex>();
  server.on('secureConnection', (socket: Duplex) => secured.add(socket));
  server.on('tlsClientError', (err: Error & { code?: string }, socket) => {
    // A refused client certificate shows up as ECONNRESET under TLS 1.3; count every TLS-phase failure.
    const reason = err.code === 'ERR_TLS_HANDSHAKE_TIMEOUT' ? 'handshake_timeout' : 'tls';
    events.rejected(reason, { remote: socket.remoteAddress, error: err.message });
  });
  server.on('clientError', (err: Error & { code?: string }, socket: Duplex) => {
    if (!secured.has(socket) || err.code === 'ECONNRESET' || err.code === 'EPIPE') {
      socket.destroy();
    } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      events.rejected('handshake_timeout', { phase: 'http' });
      writeAndClose(socket, 408, 'request timeout');
    } else {
      events.rejected('bad_request', { error: err.message });
      writeAndClose(socket, 400, 'bad request');
    }
  });
  return server;
}

/**
 * permessage-deflate with small windows so 10,000 idle sessions stay cheap: 2^10-byte windows and
 * zlib memLevel 3 (about 5 KB deflate + 8 KB inflate state per compressing session, allocated on
 * first use) instead of zlib's defaults (about 300 KB). The client window can only be limited when
 * the client offers client_max_window_bits (RFC 7692 §7.1.2.2), so two servers: one that limits
 * it and one that does not (a Go gorilla client does not offer it and must not be refused).
 */
export class WebSocketServers {
  private readonly limited: WebSocketServer;
  private readonly plain: WebSocketServer;
  private readonly uncompressed: WebSocketServer;

  constructor(private readonly opts: ResolvedOptions) {
    this.limited = makeWss(opts, deflateOptions(opts, 10));
    this.plain = makeWss(opts, deflateOptions(opts, undefined));
    this.uncompressed = makeWss(opts, false);
  }

  /**
   * Compression is offered only while fewer than compressionMaxSessions sessions are connected: with
   * 10,000 compressed sessions in one process ws's shared zlib work queue stalled (BENCHMARKS.md), so
   * sessions past the threshold go uncompressed (idle uplink 17 instead of 10 B/s for those nodes).
   */
  pick(req: IncomingMessage, connected: number): WebSocketServer {
    if (connected >= this.opts.compressionMaxSessions) return this.uncompressed;
    const ext = req.headers['sec-websocket-extensions'];
    return typeof ext === 'string' && ext.includes('client_max_window_bits') ? this.limited : this.plain;
  }

  close(): void {
    this.limited.close();
    this.plain.close();
    this.uncompressed.close();
  }
}

function deflateOptions(opts: ResolvedOptions, clientBits: number | undefined): PerMessageDeflateOptions | false {
  if (!opts.compression) return false;
  const o: PerMessageDeflateOptions = {
    serverMaxWindowBits: 10,
    zlibDeflateOptions: { memLevel: 3 },
    // Small frames (keepalive replies, acks) are not worth a deflate call.
    threshold: 256,
  };
  if (clientBits !== undefined) o.clientMaxWindowBits = clientBits;
  return o;
}

function makeWss(opts: ResolvedOptions, perMessageDeflate: PerMessageDeflateOptions | false): WebSocketServer {
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    // Above maxFrameBytes we skip the frame and keep the session; ws itself closes (1009) only
    // above this larger bound, to protect memory.
    maxPayload: opts.maxPayloadBytes,
    // decodeMessage checks UTF-8 and counts a bad frame; ws would close the connection (1007).
    skipUTF8Validation: true,
    perMessageDeflate,
  });
  wss.on('headers', (headers: string[], req: IncomingMessage) => {
    if (wantsUpstreamAck(req.headers)) headers.push(`${UPSTREAM_ACK_HEADER}: ${UPSTREAM_ACK_VERSION}`);
  });
  return wss;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  503: 'Service Unavailable',
};

/** Answers an upgrade request with a plain HTTP error and closes the connection. */
export function writeAndClose(socket: Duplex, status: number, body: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const text = `${body}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: text/plain\r\n' +
      `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}
