// The metaserver: a local, read-mostly Kubernetes API on loopback (KubeEdge's metaServer, port
// 10550) that answers from the edge store, so pods and agents on the node keep working offline.
// Plain HTTP without authentication, hence loopback only. Writes (pod status, events) go upstream
// through the edgehub outbox. Every failure is answered as a Kubernetes Status.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, statusFor } from './api-error.js';
import { readList, readObject } from './reads.js';
import { DEFAULT_MAX_BODY_BYTES, mediaType, readJsonBody } from './request-body.js';
import { matchRoute } from './routes.js';
import type { MetaServer, MetaServerOptions } from './types.js';
import { createEvent, patchPodStatus, type WriteContext } from './writes.js';

export const DEFAULT_METASERVER_PORT = 10550;

/** Thrown by startMetaServer for a host that is not loopback or a port that cannot be bound. */
export class MetaServerError extends Error {
  override readonly name = 'MetaServerError';
  constructor(
    readonly code: 'not_loopback' | 'listen_failed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export async function startMetaServer(opts: MetaServerOptions): Promise<MetaServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new MetaServerError('not_loopback', `metaserver serves without authentication and binds loopback only, not "${host}"`);
  const log = opts.log;
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const ctx: WriteContext = { store: opts.store, hub: opts.hub, nodeName: opts.nodeName };
  const server = createServer((req, res) => {
    handle(req, ctx, maxBody).then(
      ({ code, body }) => reply(res, code, body),
      (err: unknown) => {
        const status = statusFor(err);
        if (status.code >= 500) log.error('request failed', { method: req.method, path: req.url, error: err instanceof Error ? err.message : String(err) });
        else log.debug('request refused', { method: req.method, path: req.url, code: status.code, reason: status.reason });
        if (status.code === 413) res.setHeader('connection', 'close');
        reply(res, status.code, status);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new MetaServerError('listen_failed', `metaserver cannot listen on ${host}:${opts.port ?? DEFAULT_METASERVER_PORT}`, { cause: err })));
    server.listen(opts.port ?? DEFAULT_METASERVER_PORT, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log.info('listening', { host, port });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, ctx: WriteContext, maxBody: number): Promise<{ code: number; body: unknown }> {
  const url = new URL(req.url ?? '/', 'http://metaserver');
  const match = matchRoute(req.method ?? 'GET', url.pathname);
  if ('error' in match) {
    throw match.error === 'NotFound'
      ? new ApiError('NotFound', 'the server could not find the requested resource')
      : new ApiError('MethodNotAllowed', `the server does not allow ${req.method ?? ''} on this resource`);
  }
  const route = match.route;
  switch (route.kind) {
    case 'get':
      return { code: 200, body: await readObject(ctx.store, route) };
    case 'list':
      return { code: 200, body: await readList(ctx.store, route) };
    case 'patchPodStatus': {
      const media = mediaType(req);
      const body = await readJsonBody(req, maxBody);
      return { code: 200, body: await patchPodStatus(ctx, route, media, body) };
    }
    case 'createEvent':
      return { code: 201, body: createEvent(ctx, route, await readJsonBody(req, maxBody)) };
  }
}

function reply(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
