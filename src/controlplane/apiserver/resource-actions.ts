// Action subresources: pods/<name>/binding (the scheduler's bind), pods/<name>/eviction (kubectl drain)
// and namespaces/<name>/finalize (the namespace controller's last step).
import type { KubeObject, Status } from '../../api/index.js';
import { errors } from '../errors.js';
import { readBody } from './body.js';
import type { RequestScope, ServerContext } from './context.js';
import { checkKind, decodeObject } from './decode.js';
import { requireJson } from './negotiate.js';
import { deleteOptionsOf } from './query.js';
import type { Target } from './target.js';
import { requestContext } from './resource-write.js';
import { sendJson } from './respond.js';

const success = (code: number): Status => ({ apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success', code });

function checkBodyName(obj: KubeObject, t: Target): void {
  const meta = obj.metadata;
  if (meta.name && meta.name !== t.path.name) {
    throw errors.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${t.path.name})`);
  }
  if (meta.namespace && meta.namespace !== t.path.namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  meta.name = t.path.name;
  meta.namespace = t.path.namespace;
}

export async function bindPod(ctx: ServerContext, scope: RequestScope, t: Target): Promise<void> {
  requireJson(scope.req.headers.accept);
  const rc = requestContext(scope);
  const binding = decodeObject(await readBody(scope.req, ctx.maxRequestBodyBytes), scope.req.headers['content-type']);
  checkBodyName(binding, t);
  const status = ctx.api.bind(t.path.namespace, t.path.name, binding, rc);
  sendJson(scope.res, 201, { ...status, code: status.code || 201 }, { pretty: scope.pretty });
}

export async function evictPod(ctx: ServerContext, scope: RequestScope, t: Target): Promise<void> {
  requireJson(scope.req.headers.accept);
  const rc = requestContext(scope);
  const eviction = decodeObject(await readBody(scope.req, ctx.maxRequestBodyBytes), scope.req.headers['content-type']);
  checkBodyName(eviction, t);
  const raw = eviction['deleteOptions'];
  const options = deleteOptionsOf(new URLSearchParams(), typeof raw === 'object' && raw !== null ? raw as Record<string, unknown> : undefined);
  if (rc.dryRun) options.dryRun = true;
  ctx.api.delete(t.ref, t.path.namespace, t.path.name, options, rc);
  sendJson(scope.res, 201, success(201), { pretty: scope.pretty });
}

/** PUT namespaces/<name>/finalize: the object API changes spec.finalizers only. */
export async function finalizeNamespace(ctx: ServerContext, scope: RequestScope, t: Target): Promise<void> {
  requireJson(scope.req.headers.accept);
  const rc = requestContext(scope);
  const body = decodeObject(await readBody(scope.req, ctx.maxRequestBodyBytes), scope.req.headers['content-type']);
  checkKind(body, t.def, t.path.version);
  if (body.metadata.name && body.metadata.name !== t.path.name) {
    throw errors.badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${t.path.name})`);
  }
  body.metadata.name = t.path.name;
  const updated = ctx.api.update(t.ref, '', t.path.name, body, rc, 'finalize');
  sendJson(scope.res, 200, updated, { pretty: scope.pretty });
}
