// Routing of resource paths: resolve the resource in the catalog, check scope, verb and subresource,
// authorize, and hand over to the read, write, action or stream handlers.
import { errors } from '../errors.js';
import { enforce } from './authz.js';
import type { RequestScope, ServerContext } from './context.js';
import { isPodStreamSubresource } from './pod-streams.js';
import { getObject, listObjects, watchObjects } from './resource-read.js';
import { bindPod, evictPod, finalizeNamespace } from './resource-actions.js';
import { createObject, deleteCollection, deleteObject, patchObject, updateObject } from './resource-write.js';
import { isWatch, verbOf, type ResourcePath, type Verb } from './request-info.js';
import { pathNotFound } from './respond.js';
import { servePodStream } from './stream-routing.js';
import { resolveTarget, type Target } from './target.js';

const methodNotAllowed = (method: string, what: string) =>
  errors.methodNotAllowed(`the server does not allow this method on the requested resource: ${method} ${what}`);

export function isLongRunning(path: ResourcePath, method: string, query: URLSearchParams): boolean {
  if ((method === 'GET' || method === 'HEAD') && isWatch(path, query)) return true;
  return path.group === '' && path.resource === 'pods' && isPodStreamSubresource(path.subresource);
}

export async function serveResource(ctx: ServerContext, scope: RequestScope, path: ResourcePath): Promise<void> {
  const t = resolveTarget(ctx, path);
  if (path.group === '' && path.resource === 'pods' && isPodStreamSubresource(path.subresource)) {
    enforce(ctx.authorize, scope.user, { kind: 'resource', verb: scope.method === 'GET' ? 'get' : 'create', group: '', resource: 'pods', subresource: path.subresource, namespace: path.namespace, name: path.name });
    await servePodStream(ctx, scope, t, path.subresource);
    return;
  }
  const verb = verbOf(scope.method, path, isWatch(path, scope.query));
  if (!verb) throw methodNotAllowed(scope.method, path.resource);
  if (t.def.namespaced && path.namespace === '' && verb !== 'list' && verb !== 'watch') throw methodNotAllowed(scope.method, path.resource);
  enforce(ctx.authorize, scope.user, { kind: 'resource', verb, group: path.group, resource: path.resource, subresource: path.subresource, namespace: path.namespace, name: path.name });
  if (path.subresource) {
    await serveSubresource(ctx, scope, t, verb);
    return;
  }
  if (!t.def.verbs.includes(verb)) throw methodNotAllowed(scope.method, path.resource);
  await serveVerb(ctx, scope, t, verb);
}

async function serveVerb(ctx: ServerContext, scope: RequestScope, t: Target, verb: Verb): Promise<void> {
  switch (verb) {
    case 'get': return getObject(ctx, scope, t);
    case 'list': return listObjects(ctx, scope, t);
    case 'watch': return watchObjects(ctx, scope, t);
    case 'create': return createObject(ctx, scope, t);
    case 'update': return updateObject(ctx, scope, t);
    case 'patch': return patchObject(ctx, scope, t);
    case 'delete': return deleteObject(ctx, scope, t);
    case 'deletecollection': return deleteCollection(ctx, scope, t);
    case 'connect': throw methodNotAllowed(scope.method, t.path.resource);
  }
}

async function serveSubresource(ctx: ServerContext, scope: RequestScope, t: Target, verb: Verb): Promise<void> {
  const sub = t.path.subresource;
  const subs = t.def.subresources;
  const what = `${t.path.resource}/${sub}`;
  if ((sub === 'status' && subs.status) || (sub === 'scale' && subs.scale)) {
    switch (verb) {
      case 'get': return getObject(ctx, scope, t, sub);
      case 'update': return updateObject(ctx, scope, t, sub);
      case 'patch': return patchObject(ctx, scope, t, sub);
      default: throw methodNotAllowed(scope.method, what);
    }
  }
  const isPods = t.def.group === '' && t.def.resource === 'pods';
  if (isPods && sub === 'binding' && subs.binding !== false) {
    if (verb !== 'create') throw methodNotAllowed(scope.method, what);
    return bindPod(ctx, scope, t);
  }
  if (isPods && sub === 'eviction' && subs.eviction !== false) {
    if (verb !== 'create') throw methodNotAllowed(scope.method, what);
    return evictPod(ctx, scope, t);
  }
  if (t.def.group === '' && t.def.resource === 'namespaces' && sub === 'finalize') {
    if (verb !== 'update') throw methodNotAllowed(scope.method, what);
    return finalizeNamespace(ctx, scope, t);
  }
  throw pathNotFound();
}
