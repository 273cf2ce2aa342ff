// The request pipeline: common headers → URL → authentication → in-flight limit → route. Every
// failure on the way becomes a Status in one place (sendError).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../errors.js';
import type { UserInfo } from '../objects/index.js';
import { anonymousUser, authenticate } from './authn.js';
import { enforce } from './authz.js';
import { ClientGoneError, discardLimitBytes } from './body.js';
import { requestUrl, wantsPretty, type RequestScope, type ServerContext } from './context.js';
import { serveDiscovery } from './discovery.js';
import { classOf } from './inflight.js';
import { isOpenApiPath, serveOpenApi } from './openapi.js';
import { parsePath, type ParsedPath } from './request-info.js';
import { isLongRunning, serveResource } from './resources.js';
import { pathNotFound, sendError, sendJson } from './respond.js';
import { isProbePath, serveProbe, serveVersion } from './version.js';
import { groupVersionsOf } from './openapi-cache.js';

/** Paths kube-apiserver serves to anonymous clients (system:public-info-viewer). */
function isPublic(pathname: string): boolean {
  return pathname === '/version' || pathname === '/version/' || isProbePath(pathname);
}

export function createRequestListener(ctx: ServerContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(ctx, req, res).catch((err: unknown) => {
      if (err instanceof ClientGoneError) {
        res.destroy();
        return;
      }
      // A 413 is answered at once and the rest of the upload discarded (so the client can read the
      // answer); an upload too big even to discard gets the connection closed after the answer.
      if (Number(req.headers['content-length'] ?? 0) > discardLimitBytes) res.setHeader('Connection', 'close');
      sendError(res, err, ctx.log, { method: req.method, url: req.url });
    });
  };
}

async function handle(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader('Audit-Id', randomUUID());
  res.setHeader('Cache-Control', 'no-cache, private');
  const method = req.method === 'HEAD' ? 'GET' : req.method ?? 'GET';
  const url = requestUrl(req);
  const auth = authenticate(req, ctx.tokenVerifiers);
  if (auth.kind === 'rejected' || (auth.kind === 'anonymous' && !isPublic(url.pathname))) throw errors.unauthorized();
  const user: UserInfo = auth.kind === 'user' ? auth.user : anonymousUser;
  const scope: RequestScope = { req, res, method, url, query: url.searchParams, user, pretty: wantsPretty(req, url.searchParams) };
  const path = parsePath(url.pathname);
  if (path.kind === 'invalid') throw errors.badRequest('malformed request path');
  if (!(path.kind === 'resource' && isLongRunning(path, method, url.searchParams))) {
    const release = ctx.limiter.acquire(classOf(method));
    res.once('close', release);
  }
  await route(ctx, scope, path);
}

type NonResourceHandler = (ctx: ServerContext, scope: RequestScope) => void;

/** The small router for everything that is not a resource path. */
function nonResourceHandler(path: ParsedPath, pathname: string): NonResourceHandler | undefined {
  if (path.kind !== 'other' && path.kind !== 'invalid' && path.kind !== 'resource') {
    return (ctx, scope) => serveDiscovery(ctx, scope, path);
  }
  if (pathname === '/version' || pathname === '/version/') return serveVersion;
  if (isProbePath(pathname)) return serveProbe;
  if (isOpenApiPath(pathname)) return serveOpenApi;
  if (pathname === '/') return serveRoot;
  return undefined;
}

async function route(ctx: ServerContext, scope: RequestScope, path: ParsedPath): Promise<void> {
  if (path.kind === 'resource') return serveResource(ctx, scope, path);
  const pathname = scope.url.pathname;
  const handler = nonResourceHandler(path, pathname);
  if (!handler) throw pathNotFound();
  if (scope.method !== 'GET') {
    throw errors.methodNotAllowed(`the server does not allow this method on the requested resource: ${scope.method} ${pathname}`);
  }
  if (!isPublic(pathname)) enforce(ctx.authorize, scope.user, { kind: 'nonresource', verb: 'get', path: pathname });
  handler(ctx, scope);
}

/** `/`: the list of served paths, as kube-apiserver answers it. */
function serveRoot(ctx: ServerContext, scope: RequestScope): void {
  const gvs = groupVersionsOf(ctx.catalog.all());
  const groups = [...new Set(gvs.filter((g) => g.path.startsWith('apis/')).map((g) => `/apis/${g.groupVersion.split('/')[0] ?? ''}`))];
  const paths = ['/api', ...gvs.filter((g) => g.path.startsWith('api/')).map((g) => `/${g.path}`), '/apis', ...groups,
    ...gvs.filter((g) => g.path.startsWith('apis/')).map((g) => `/${g.path}`),
    '/healthz', '/livez', '/openapi/v2', '/openapi/v3', '/readyz', '/version'];
  sendJson(scope.res, 200, { paths }, { pretty: scope.pretty });
}
