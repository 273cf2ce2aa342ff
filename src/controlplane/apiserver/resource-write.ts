// Writes: POST (create), PUT (update, status/scale/finalize), PATCH (every patch type), DELETE (one
// object or a collection). The URL is the authority for name and namespace; the body must agree.
import type { KubeObject } from '../../api/index.js';
import { errors, isApiError } from '../errors.js';
import type { PatchOptions, RequestContext, Subresource } from '../objects/index.js';
import { readBody } from './body.js';
import type { RequestScope, ServerContext } from './context.js';
import { checkKind, decodeObject, decodeOptionalJson, decodePatch, patchTypeOf } from './decode.js';
import { requireJson } from './negotiate.js';
import { deleteOptionsOf, dryRunOf, listOptionsOf } from './query.js';
import type { Target } from './target.js';
import { sendJson } from './respond.js';

export function requestContext(scope: RequestScope): RequestContext {
  const ctx: RequestContext = { user: scope.user };
  if (dryRunOf(scope.query)) ctx.dryRun = true;
  const fm = scope.query.get('fieldManager');
  if (fm) {
    if (fm.length > 128) throw errors.badRequest('fieldManager: Too long: may not be longer than 128 characters');
    ctx.fieldManager = fm;
  }
  return ctx;
}

/** The body's namespace and name must match the URL's; missing ones are filled in. */
function reconcileIdentity(obj: KubeObject, t: Target, checkName: boolean): void {
  const meta = obj.metadata;
  if (t.def.namespaced) {
    if (meta.namespace && meta.namespace !== t.path.namespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = t.path.namespace;
  } else {
    delete meta.namespace;
  }
  if (!checkName) return;
  if (meta.name && meta.name !== t.path.name) {
    throw errors.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${t.path.name})`);
  }
  meta.name = t.path.name;
}

async function bodyOf(ctx: ServerContext, scope: RequestScope): Promise<Buffer> {
  return readBody(scope.req, ctx.maxRequestBodyBytes);
}

export async function createObject(ctx: ServerContext, scope: RequestScope, t: Target): Promise<void> {
  requireJson(scope.req.headers.accept);
  const rc = requestContext(scope);
  const obj = decodeObject(await bodyOf(ctx, scope), scope.req.headers['content-type']);
  checkKind(obj, t.def, t.path.version);
  reconcileIdentity(obj, t, false);
  const created = ctx.api.create(t.ref, t.path.namespace, obj, rc);
  sendJson(scope.res, 201, created, { pretty: scope.pretty });
}

export async function updateObject(ctx: ServerContext, scope: RequestScope, t: Target, subresource?: Subresource): Promise<void> {
  requireJson(scope.req.headers.accept);
  const rc = requestContext(scope);
  const obj = decodeObject(await bodyOf(ctx, scope), scope.req.headers['content-type']);
  // A scale body is an autoscaling/v1 Scale, not the resource's kind.
  if (subresource !== 'scale') checkKind(obj, t.def, t.path.version);
  reconcileIdentity(obj, t, true);
  const updated = ctx.api.update(t.ref, t.path.namespace, t.path.name, obj, rc, subresource);
  sendJson(scope.res, 200, updated, { pretty: scope.pretty });
}

export async function patchObject(ctx: ServerContext, scope: RequestScope, t: Target, subresource?: Subresource): Promise<void> {
  requireJson(scope.req.headers.accept);
  const type = patchTypeOf(scope.req.headers['content-type'], t.def);
  const options: PatchOptions = requestContext(scope);
  // The body is decoded before the options are checked, so malformed input is a 400 whatever the query.
  const patch = decodePatch(await bodyOf(ctx, scope), type);
  if (type === 'apply') {
    if (!options.fieldManager) {
      throw errors.invalid('PatchOptions', 'meta.k8s.io', '', [
        { reason: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch' }]);
    }
    const force = scope.query.get('force');
    if (force === 'true' || force === '1') options.force = true;
  }
  // Server-side apply may create the object; kube-apiserver answers 201 then.
  const existed = type !== 'apply' || exists(ctx, t, subresource);
  const patched = ctx.api.patch(t.ref, t.path.namespace, t.path.name, type, patch, options, subresource);
  sendJson(scope.res, existed ? 200 : 201, patched, { pretty: scope.pretty });
}

function exists(ctx: ServerContext, t: Target, subresource?: Subresource): boolean {
  try {
    ctx.api.get(t.ref, t.path.namespace, t.path.name, subresource);
    return true;
  } catch (err) {
    if (isApiError(err) && err.code === 404) return false;
    throw err;
  }
}

export async function deleteObject(ctx: ServerContext, scope: RequestScope, t: Target): Promise<void> {
  requireJson(scope.req.headers.accept);
  const rc = requestContext(scope);
  const options = deleteOptionsOf(scope.query, decodeOptionalJson(await bodyOf(ctx, scope), scope.req.headers['content-type']));
  if (rc.dryRun) options.dryRun = true;
  const last = ctx.api.delete(t.ref, t.path.namespace, t.path.name, options, rc);
  // 202 when finalizers or graceful deletion keep the object around, 200 when it is gone.
  const pending = !options.dryRun && stillThere(ctx, t, last);
  sendJson(scope.res, pending ? 202 : 200, last, { pretty: scope.pretty });
}

function stillThere(ctx: ServerContext, t: Target, last: KubeObject): boolean {
  try {
    return ctx.api.get(t.ref, t.path.namespace, t.path.name).metadata.uid === last.metadata.uid;
  } catch (err) {
    if (isApiError(err) && err.code === 404) return false;
    throw err;
  }
}

export async function deleteCollection(ctx: ServerContext, scope: RequestScope, t: Target): Promise<void> {
  requireJson(scope.req.headers.accept);
  const rc = requestContext(scope);
  const options = deleteOptionsOf(scope.query, decodeOptionalJson(await bodyOf(ctx, scope), scope.req.headers['content-type']));
  if (rc.dryRun) options.dryRun = true;
  const list = ctx.api.deleteCollection(t.ref, { ...listOptionsOf(scope.query, t.path.namespace), ...options }, rc);
  sendJson(scope.res, 200, list, { pretty: scope.pretty });
}
