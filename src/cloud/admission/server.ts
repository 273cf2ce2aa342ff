// The webhook's HTTPS server: POST /devices and /devicemodels (KubeEdge's admission paths) take an
// AdmissionReview and answer one; GET /healthz answers "ok". What is not a review gets a plain-text 4xx
// and the server goes on serving: 400 (bad JSON, not an AdmissionReview), 404 (unknown path), 405,
// 413 (body over the limit: 3 MiB, the API server's own request limit), 415 (not JSON).
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../core/index.js';
import { admit, AdmissionTargets, type AdmissionTarget, type ModelSource } from './admit.js';
import { decodeReview, encodeReview, ReviewDecodeError, type DecodedReview } from './review.js';

export const DEFAULT_BODY_LIMIT = 3 * 1024 * 1024;
/** How much of an over-long body is read and dropped before answering 413 (see readBody). */
const DRAIN_LIMIT = 16 * 1024 * 1024;
/** In-flight reviews get this long to finish on stop before their connections are cut. */
const STOP_GRACE_MS = 5_000;

export interface AdmissionServerOptions {
  host: string;
  port: number;
  /** PEM serving certificate (chain) and private key. */
  tls: { cert: string; key: string };
  models: ModelSource;
  log: Logger;
  bodyLimit?: number;
}

export interface AdmissionServer {
  readonly port: number;
  stop(): Promise<void>;
}

/** Refused before any review is made: the HTTP status and a one-line text. */
class HttpRefusal extends Error {
  override readonly name = 'HttpRefusal';
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

const isTarget = (s: string): s is AdmissionTarget => (AdmissionTargets as readonly string[]).includes(s);

/**
 * The body as text, or a 413 refusal. A body over the limit is still read (and dropped) up to
 * DRAIN_LIMIT so the client, still writing, can read the 413 instead of a reset; past that the
 * connection is closed after the answer.
 */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const tooLarge = (close: boolean): HttpRefusal =>
    new HttpRefusal(413, `request body is larger than ${limit} bytes`, close ? { connection: 'close' } : {});
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > DRAIN_LIMIT) return Promise.reject(tooLarge(true));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
      if (size > DRAIN_LIMIT) { req.removeAllListeners('data'); reject(tooLarge(true)); }
    });
    req.once('end', () => (size > limit ? reject(tooLarge(false)) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.once('error', reject);
  });
}

function checkRequest(req: IncomingMessage, path: string): AdmissionTarget | 'healthz' {
  const route = path.slice(1);
  if (route === 'healthz') {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpRefusal(405, 'use GET for /healthz', { allow: 'GET, HEAD' });
    return 'healthz';
  }
  if (!isTarget(route)) throw new HttpRefusal(404, `no webhook at ${path}; POST AdmissionReviews to /devices or /devicemodels`);
  if (req.method !== 'POST') throw new HttpRefusal(405, `use POST for ${path}`, { allow: 'POST' });
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpRefusal(415, `content type must be application/json, got ${JSON.stringify(type)}`);
  }
  return route;
}

function decodeOrRefuse(body: string): DecodedReview {
  try {
    return decodeReview(body);
  } catch (err) {
    if (err instanceof ReviewDecodeError) throw new HttpRefusal(400, err.message);
    throw err;
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: AdmissionServerOptions): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const route = checkRequest(req, path);
  if (route === 'healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  const body = await readBody(req, opts.bodyLimit ?? DEFAULT_BODY_LIMIT);
  const review = decodeOrRefuse(body);
  const response = await admit(route, review.request, opts.models);
  const r = review.request;
  const fields = { uid: r.uid, operation: r.operation, namespace: r.namespace, name: r.name, resource: route };
  if (response.allowed) opts.log.debug('allowed', fields);
  else opts.log.info('denied', { ...fields, code: response.result?.code, message: response.result?.message });
  res.writeHead(200, { 'content-type': 'application/json' }).end(encodeReview(review.apiVersion, response));
}

function refuse(res: ServerResponse, err: unknown, log: Logger): void {
  const refusal = err instanceof HttpRefusal ? err : new HttpRefusal(500, `internal error: ${(err as Error)?.message ?? String(err)}`);
  if (refusal.status >= 500) log.error('request failed', { error: refusal.message });
  else log.debug('request refused', { status: refusal.status, error: refusal.message });
  if (res.headersSent) { res.destroy(); return; }
  res.writeHead(refusal.status, { 'content-type': 'text/plain', ...refusal.headers }).end(`${refusal.message}\n`);
}

export async function startAdmissionServer(opts: AdmissionServerOptions): Promise<AdmissionServer> {
  const server: Server = createServer({ cert: opts.tls.cert, key: opts.tls.key, minVersion: 'TLSv1.2' }, (req, res) => {
    handle(req, res, opts).catch((err: unknown) => refuse(res, err, opts.log));
  });
  // A client that stops sending must not hold a connection (and its buffers) forever.
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => { server.off('error', reject); resolve(); });
  });
  server.on('tlsClientError', (err) => opts.log.debug('tls handshake failed', { error: err.message }));
  return {
    port: (server.address() as AddressInfo).port,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
      await closed;
      clearTimeout(cut);
    },
  };
}
