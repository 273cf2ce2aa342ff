// /openapi/v3 (root + one document per group-version, as kubectl apply/explain/validation read them)
// and /openapi/v2, JSON only. Caching follows kube-apiserver: ETags everywhere, `?hash=` URLs are
// immutable, and a stale hash is redirected to the current one.
import type { RequestScope, ServerContext } from './context.js';
import type { CachedDocument } from './openapi-cache.js';
import { requireJson } from './negotiate.js';
import { pathNotFound } from './respond.js';

const yearMs = 365 * 24 * 3600 * 1000;

function sendDocument(scope: RequestScope, doc: CachedDocument, headers: Record<string, string> = {}): void {
  const etag = `"${doc.hash}"`;
  const res = scope.res;
  if (scope.req.headers['if-none-match'] === etag) {
    res.writeHead(304, { ...headers, ETag: etag });
    res.end();
    return;
  }
  res.writeHead(200, {
    ...headers,
    ETag: etag,
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(doc.json)),
    Vary: 'Accept',
  });
  res.end(doc.json);
}

export function serveOpenApi(ctx: ServerContext, scope: RequestScope): void {
  const path = scope.url.pathname.replace(/\/+$/, '');
  requireJson(scope.req.headers.accept);
  if (path === '/openapi/v2') {
    sendDocument(scope, ctx.openapi.v2());
    return;
  }
  if (path === '/openapi/v3') {
    sendDocument(scope, ctx.openapi.v3Root());
    return;
  }
  const gvPath = path.slice('/openapi/v3/'.length);
  const doc = ctx.openapi.v3(gvPath);
  if (!doc) throw pathNotFound();
  const hash = scope.query.get('hash');
  if (hash === null) {
    sendDocument(scope, doc);
    return;
  }
  if (hash !== doc.hash) {
    // The document changed since the client read the root: send it to the current URL.
    scope.res.writeHead(301, { Location: `/openapi/v3/${gvPath}?hash=${doc.hash}`, 'Cache-Control': 'no-cache, private', 'Content-Length': '0' });
    scope.res.end();
    return;
  }
  sendDocument(scope, doc, {
    'Cache-Control': 'public, immutable',
    Expires: new Date(Date.now() + yearMs).toUTCString(),
  });
}

export function isOpenApiPath(pathname: string): boolean {
  return pathname === '/openapi/v2' || pathname === '/openapi/v3' || pathname.startsWith('/openapi/v3/') || pathname === '/openapi/v2/';
}
