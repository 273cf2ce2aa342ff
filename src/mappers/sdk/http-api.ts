// The mapper's HTTP API server (KubeEdge mapper-framework pkg/httpserver/server.go): plain HTTP on
// common.address:common.http_port, JSON answers, X-Correlation-ID echoed. Listening fails at start with a
// typed error (a taken port is a startup error, not a crash later); close() ends it. Routes: http-api-routes.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../core/index.js';
import { HttpListenError, errorMessage } from './errors.js';
import { routeRequest, type ApiBackend, type ApiResponse } from './http-api-routes.js';

/** The listen address when common.address is not set; KubeEdge's server listens on 0.0.0.0. */
export const DEFAULT_HTTP_ADDRESS = '127.0.0.1';
/** KubeEdge's ReadTimeout: a request must arrive whole within it. */
const REQUEST_TIMEOUT_MS = 10_000;
/** How long close() lets answers in flight (a slow device) finish before cutting their connections. */
const CLOSE_DRAIN_MS = 2_000;
const CORRELATION_HEADER = 'x-correlation-id';

export interface HttpApiOptions {
  address: string;
  /** 0 = any free port. */
  port: number;
  backend: ApiBackend;
  log: Logger;
  now: () => number;
}

export interface HttpApi {
  /** The bound address and port. */
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Listens, or throws HttpListenError naming the address. */
export async function startHttpApi(opts: HttpApiOptions): Promise<HttpApi> {
  const { log } = opts;
  const ctx = { backend: opts.backend, now: opts.now };
  const server = createServer((req, res) => {
    serve(req, res, (method, path) => routeRequest(method, path, ctx), log).catch((err: unknown) => {
      log.warn('http api answer failed', { error: errorMessage(err) });
      res.destroy();
    });
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  await listen(server, opts.address, opts.port);
  // Once listening, a server error is logged; it must not take the mapper down.
  server.on('error', (err) => log.warn('http api error', { error: errorMessage(err) }));
  const bound = server.address() as AddressInfo;
  log.info('serving http api', { address: bound.address, port: bound.port });
  let closing: Promise<void> | undefined;
  return {
    address: bound.address,
    port: bound.port,
    close: () => (closing ??= close(server)),
  };
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  route: (method: string, path: string) => Promise<ApiResponse>,
  log: Logger,
): Promise<void> {
  const method = req.method ?? 'GET';
  // The path as sent, still percent-encoded: a "%2F" in a value must not split segments.
  const path = (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
  const { status, body } = await route(method, path);
  if (status >= 500) log.warn('http api request failed', { method, path, status, error: body['Message'] });
  else if (status >= 400) log.debug('http api request refused', { method, path, status, error: body['Message'] });
  const correlation = req.headers[CORRELATION_HEADER];
  if (typeof correlation === 'string' && correlation) res.setHeader('X-Correlation-ID', correlation);
  if (status === 405) res.setHeader('Allow', 'GET');
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function listen(server: Server, address: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(new HttpListenError(address, port, err.code ?? 'error', { cause: err }));
    };
    server.once('error', onError);
    server.listen(port, address, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

async function close(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), CLOSE_DRAIN_MS);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    // Keep-alive connections with no request in flight would hold close() open until they time out.
    server.closeIdleConnections();
  });
}
