// The metaserver: a local, read-mostly Kubernetes API on loopback (KubeEdge's metaServer, port
// 10550) that answers from the edge store, so pods, agents and kubectl on the node keep working
// offline: discovery, get/list/watch with selectors and Table answers, pod status PATCH and event
// POST (sent upstream through the edgehub outbox). Plain HTTP without authentication, hence
// loopback only. Every failure is answered as a Kubernetes Status.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChangeFeed } from './change-feed.js';
import { statusFor } from './api-error.js';
import { handleRequest, type HandlerContext } from './handler.js';
import { DEFAULT_MAX_BODY_BYTES } from './request-body.js';
import { servedResources } from './resources.js';
import type { MetaServer, MetaServerOptions } from './types.js';
import type { ServerResponse } from 'node:http';

export const DEFAULT_METASERVER_PORT = 10550;
const DEFAULT_WATCH_HISTORY = 1024;
const DEFAULT_BOOKMARK_INTERVAL_MS = 60_000;

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
  const resources = servedResources();
  const pods = resources.find((r) => r.type === 'pod') as (typeof resources)[number];
  const read = { store: opts.store, localPodStatus: opts.localPodStatus };
  const feed = new ChangeFeed({ ...read, resources, history: opts.watchHistory ?? DEFAULT_WATCH_HISTORY, log });
  await feed.start();
  const ctx: HandlerContext = {
    ...read, feed, log, resources, open: new Set(),
    bookmarkIntervalMs: opts.bookmarkIntervalMs ?? DEFAULT_BOOKMARK_INTERVAL_MS,
    write: { store: opts.store, hub: opts.hub, nodeName: opts.nodeName, pods },
    maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  };
  const server = createServer((req, res) => {
    handleRequest(req, res, ctx).then(
      (reply) => { if (reply) send(res, reply.code, reply.body); },
      (err: unknown) => {
        const status = statusFor(err);
        if (status.code >= 500) log.error('request failed', { method: req.method, path: req.url, error: err instanceof Error ? err.message : String(err) });
        else log.debug('request refused', { method: req.method, path: req.url, code: status.code, reason: status.reason });
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (status.code === 413) res.setHeader('connection', 'close');
        send(res, status.code, status);
      },
    );
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) => reject(new MetaServerError('listen_failed', `metaserver cannot listen on ${host}:${opts.port ?? DEFAULT_METASERVER_PORT}`, { cause: err })));
      server.listen(opts.port ?? DEFAULT_METASERVER_PORT, host, () => resolve());
    });
  } catch (err) {
    feed.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  log.info('listening', { host, port });
  return {
    port,
    get openWatches() {
      return ctx.open.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const end of [...ctx.open]) end();
        feed.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
