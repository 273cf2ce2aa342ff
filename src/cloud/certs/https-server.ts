// The HTTPS listener of the certificate service (KubeEdge httpserver.StartHTTPServer): TLS with the
// serving cert, client certs requested but not required (tls.RequestClientCert), so a new node with
// only a token can connect while a node rotating its cert authenticates with it. Bodies are plain
// bytes: DER in, DER or a text error out, as KubeEdge's resps package writes them.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket, PeerCertificate, TlsOptions } from 'node:tls';
import type { Logger } from '../../core/index.js';
import type { EdgeCertReply, EdgeCertRequest, PeerCert } from './edge-cert-handler.js';
import type { RefusalReason } from './metrics.js';
import { CA_URL_PATH, CERT_URL_PATH } from './names.js';

/** Largest CSR body accepted; a P-256 CSR is under 1 KiB. */
export const MAX_BODY_BYTES = 64 * 1024;
const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';

export interface CertServerTls {
  certPem: string;
  keyPem: string;
  caPem: string;
}

export interface AnswerEvent {
  path: string;
  status: number;
  refusal?: RefusalReason;
  node?: string;
  remote?: string;
}

export interface CertServerHandlers {
  caDer(): Uint8Array;
  edgeCert(req: EdgeCertRequest): Promise<EdgeCertReply>;
  /** Called for every answered request (for metrics). */
  onAnswer(ev: AnswerEvent): void;
  onTlsError(err: Error): void;
}

export function certServerTlsOptions(tls: CertServerTls): TlsOptions {
  return { cert: tls.certPem, key: tls.keyPem, ca: tls.caPem, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' };
}

export function createCertServer(tls: CertServerTls, h: CertServerHandlers, log: Logger): Server {
  const server = createServer({ ...certServerTlsOptions(tls), handshakeTimeout: 10_000 }, (req, res) => {
    route(req, res, h).catch((err: unknown) => {
      log.error('request failed', { path: req.url, error: err instanceof Error ? err.message : String(err) });
      reply(res, 500, 'internal error');
    });
  });
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  server.on('tlsClientError', (err) => h.onTlsError(err));
  return server;
}

function firstOf(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function peerOf(socket: TLSSocket): PeerCert {
  const c = socket.getPeerCertificate(false) as Partial<PeerCertificate> | null;
  if (!c || c.raw === undefined) return { present: false, authorized: false, clientAuth: false };
  const org = c.subject?.O as string | string[] | undefined;
  const peer: PeerCert = {
    present: true,
    authorized: socket.authorized,
    clientAuth: (c.ext_key_usage ?? []).includes(CLIENT_AUTH_OID),
    organization: org === undefined ? [] : Array.isArray(org) ? org : [org],
  };
  const cn = firstOf(c.subject?.CN as string | string[] | undefined);
  if (cn !== undefined) peer.commonName = cn;
  if (socket.authorizationError) peer.authorizationError = String(socket.authorizationError);
  return peer;
}

function reply(res: ServerResponse, status: number, body: Uint8Array | string, close = false): void {
  if (res.headersSent) return;
  const binary = typeof body !== 'string';
  res.writeHead(status, {
    'Content-Type': binary ? 'application/octet-stream' : 'text/plain; charset=utf-8',
    ...(close ? { Connection: 'close' } : {}),
  });
  res.end(binary ? Buffer.from(body) : body);
}

/** The body, or undefined once it passes `limit` (the rest is not buffered). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function route(req: IncomingMessage, res: ServerResponse, h: CertServerHandlers): Promise<void> {
  const path = (req.url ?? '').split('?')[0] ?? '';
  const remote = req.socket.remoteAddress;
  if (path === CA_URL_PATH && req.method === 'GET') {
    reply(res, 200, h.caDer());
    h.onAnswer({ path, status: 200, remote });
    return;
  }
  if (path !== CERT_URL_PATH || (req.method !== 'GET' && req.method !== 'POST')) {
    reply(res, 404, 'not found');
    h.onAnswer({ path, status: 404, refusal: 'not_found', remote });
    return;
  }
  const nodeName = firstOf(req.headers['nodename']);
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body === undefined) {
    reply(res, 413, `request body over ${MAX_BODY_BYTES} bytes`, true);
    h.onAnswer({ path, status: 413, refusal: 'body_too_large', node: nodeName, remote });
    return;
  }
  const answer = await h.edgeCert({
    nodeName, authorization: req.headers.authorization, peer: peerOf(req.socket as TLSSocket), csrDer: new Uint8Array(body),
  });
  reply(res, answer.status, answer.body);
  h.onAnswer({ path, status: answer.status, refusal: 'refusal' in answer ? answer.refusal : undefined, node: nodeName, remote });
}
