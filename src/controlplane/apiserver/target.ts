// The resource a path names, resolved against the live catalog. Unknown resources and versions, and
// paths of the wrong scope, are 404s like unregistered paths in kube-apiserver.
import type { ResourceRef } from '../objects/index.js';
import type { ResourceDef } from '../registry/index.js';
import type { ServerContext } from './context.js';
import type { ResourcePath } from './request-info.js';
import { pathNotFound } from './respond.js';

export interface Target {
  def: ResourceDef;
  ref: ResourceRef;
  path: ResourcePath;
}

export function resolveTarget(ctx: ServerContext, path: ResourcePath): Target {
  const def = ctx.catalog.get(path.group, path.resource);
  if (!def || !def.versions.includes(path.version)) throw pathNotFound();
  if (!def.namespaced && path.namespace !== '') throw pathNotFound();
  // A namespaced resource without a namespace: only collections (list/watch across all namespaces).
  if (def.namespaced && path.namespace === '' && path.name !== '') throw pathNotFound();
  return { def, ref: { group: def.group, resource: def.resource, version: path.version }, path };
}
