// GET of one object, a list, or a watch, in the representation the client negotiated.
import type { Subresource } from '../objects/index.js';
import type { RequestScope, ServerContext } from './context.js';
import { negotiateObjectFormat } from './negotiate.js';
import { includeObjectOf, listOptionsOf, watchOptionsOf, watchTimeoutMs } from './query.js';
import { sendJson } from './respond.js';
import type { Target } from './target.js';
import { transformerFor } from './transform.js';
import { serveWatch } from './watch.js';

export function getObject(ctx: ServerContext, scope: RequestScope, t: Target, subresource?: Subresource): void {
  const format = negotiateObjectFormat(scope.req.headers.accept, subresource === undefined);
  const transformer = transformerFor(format, t.def, includeObjectOf(scope.query));
  const obj = ctx.api.get(t.ref, t.path.namespace, t.path.name, subresource);
  sendJson(scope.res, 200, transformer.object(obj), { pretty: scope.pretty });
}

export function listObjects(ctx: ServerContext, scope: RequestScope, t: Target): void {
  const format = negotiateObjectFormat(scope.req.headers.accept, true);
  const transformer = transformerFor(format, t.def, includeObjectOf(scope.query));
  const list = ctx.api.list(t.ref, listOptionsOf(scope.query, t.path.namespace));
  sendJson(scope.res, 200, transformer.list(list), { pretty: scope.pretty });
}

export function watchObjects(ctx: ServerContext, scope: RequestScope, t: Target): void {
  const format = negotiateObjectFormat(scope.req.headers.accept, true);
  const transformer = transformerFor(format, t.def, includeObjectOf(scope.query));
  serveWatch(scope.res, {
    api: ctx.api,
    ref: t.ref,
    options: watchOptionsOf(scope.query, t.path.namespace, t.path.name),
    transformer,
    timeoutMs: watchTimeoutMs(scope.query) ?? ctx.defaultWatchTimeoutMs(),
    maxBufferBytes: ctx.maxWatchBufferBytes,
    watches: ctx.watches,
    log: ctx.log,
  });
}
