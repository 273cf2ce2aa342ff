// One request: route, then answer as kube-apiserver would (discovery, objects, lists, Tables,
// watches, the two writes). Returns the reply to send, or undefined when a watch streamed its own.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { ApiError } from './api-error.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.js';
import { newestVersion, readAll, readObject } from './reads.js';
import { mediaType, readJsonBody } from './request-body.js';
import { negotiateFormat, parseReadOptions } from './request-options.js';
import { apiVersionOf, type ResourceInfo } from './resources.js';
import { matchRoute, type Route } from './routes.js';
import { compileSelection } from './selection.js';
import { toTable } from './tables.js';
import { serveWatch, type WatchContext } from './watch-stream.js';
import { createEvent, patchPodStatus, type WriteContext } from './writes.js';

export interface HandlerContext extends WatchContext {
  resources: readonly ResourceInfo[];
  write: WriteContext;
  maxBodyBytes: number;
}

export interface Reply {
  code: number;
  body: unknown;
}

export async function handleRequest(req: IncomingMessage, res: ServerResponse, ctx: HandlerContext): Promise<Reply | undefined> {
  const url = new URL(req.url ?? '/', 'http://metaserver');
  const match = matchRoute(req.method ?? 'GET', url.pathname, ctx.resources);
  if ('error' in match) {
    throw match.error === 'NotFound'
      ? new ApiError('NotFound', 'the server could not find the requested resource')
      : new ApiError('MethodNotAllowed', `the server does not allow ${req.method ?? ''} on this resource`);
  }
  const route = match.route;
  switch (route.kind) {
    case 'version':
      return ok(versionInfo());
    case 'apiVersions':
      return ok(apiVersions(serverAddress(req)));
    case 'apiGroupList':
      return ok(apiGroupList(ctx.resources));
    case 'apiGroup':
      return found(apiGroup(ctx.resources, route.group));
    case 'apiResources':
      return found(apiResourceList(ctx.resources, route.group, route.version));
    case 'get':
      return getObject(req, ctx, route);
    case 'list':
      return list(req, res, url, ctx, route);
    case 'patchPodStatus': {
      const media = mediaType(req);
      const body = await readJsonBody(req, ctx.maxBodyBytes);
      return ok(await patchPodStatus(ctx.write, route, media, body));
    }
    case 'createEvent':
      return { code: 201, body: createEvent(ctx.write, route, await readJsonBody(req, ctx.maxBodyBytes)) };
  }
}

const ok = (body: unknown): Reply => ({ code: 200, body });

function found(body: object | undefined): Reply {
  if (!body) throw new ApiError('NotFound', 'the server could not find the requested resource');
  return ok(body);
}

async function getObject(req: IncomingMessage, ctx: HandlerContext, route: Extract<Route, { kind: 'get' }>): Promise<Reply> {
  const isStatus = req.url?.split('?')[0]?.endsWith('/status') === true;
  const format = negotiateFormat(req.headers.accept, !isStatus);
  const obj = await readObject(ctx, route.resource, route.namespace, route.name);
  if (format.kind === 'json') return ok(obj);
  const query = new URL(req.url ?? '/', 'http://metaserver').searchParams;
  return ok(toTable(route.resource, [obj], { version: format.version, includeObject: parseReadOptions(query).includeObject }));
}

async function list(req: IncomingMessage, res: ServerResponse, url: URL, ctx: HandlerContext, route: Extract<Route, { kind: 'list' }>): Promise<Reply | undefined> {
  const opts = parseReadOptions(url.searchParams);
  const format = negotiateFormat(req.headers.accept);
  const target = { resource: route.resource, namespace: route.namespace, name: route.name };
  if (route.watch || opts.watch) {
    await serveWatch(res, ctx, target, opts, format);
    return undefined;
  }
  const filter = compileSelection(route.resource, opts);
  const all = await readAll(ctx, route.resource, route.namespace);
  // The list's version is the feed's (every change so far), never below what this read saw.
  ctx.feed.observe(newestVersion(all));
  const rv = ctx.feed.resourceVersion.toString();
  const items = all.filter(filter);
  if (format.kind === 'table') {
    return ok(toTable(route.resource, items, { version: format.version, includeObject: opts.includeObject, resourceVersion: rv }));
  }
  return ok({ apiVersion: apiVersionOf(route.resource), kind: route.resource.def.listKind, metadata: { resourceVersion: rv }, items });
}

/** host:port the client reached, for APIVersions.serverAddressByClientCIDRs. */
function serverAddress(req: IncomingMessage): string {
  const socket = req.socket as TLSSocket;
  const host = (socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  return `${host.includes(':') ? `[${host}]` : host}:${socket.localPort ?? 0}`;
}
