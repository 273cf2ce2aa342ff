// PUT (and the write half of PATCH, scale and binding): optimistic concurrency, immutable server-set
// metadata, status/finalize subresource isolation, generation, no-op detection, and deletion when an
// update removes the last finalizer of a terminating object.
import type { KubeObject } from '../../api/index.js';
import { errors } from '../errors.js';
import { isCrdResource, prepareCrdWrite } from './crd-hooks.js';
import { admitDeviceWrite } from './device-admission.js';
import type { Env, Tx } from './env.js';
import { recordWrite } from './managed.js';
import {
  carryField, carryMeta, cloneJson, finalizersOf, isTerminating, parseRevision, record, sameContent, specChanged,
} from './object-meta.js';
import { removeObject } from './removal.js';
import { checkBodyName, checkTypeMeta, getOrNotFound, isCore, present, scopeNamespace, type Resolved } from './resolve.js';
import type { RequestContext } from './types.js';
import { validateOrThrow } from './validation.js';

export type UpdateSubresource = 'status' | 'finalize';

export interface UpdateMode {
  subresource?: UpdateSubresource;
  /** Server-side apply already wrote managedFields (operation Apply). */
  keepManagedFields?: boolean;
  /** Store `body` as given (built by the caller from the stored object): no strategy, no validation,
   *  no managedFields entry. For pods/binding, which kube-apiserver writes straight to storage. */
  raw?: boolean;
}

export const optimisticLockMessage = 'the object has been modified; please apply your changes to the latest version and try again';

/** Metadata only the server sets; an update keeps the stored values. */
const serverMeta = ['name', 'namespace', 'uid', 'creationTimestamp', 'generation', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

export function updateObject(env: Env, tx: Tx, r: Resolved, namespace: string | undefined, name: string,
  body: KubeObject, ctx: RequestContext, mode: UpdateMode = {}): KubeObject {
  checkTypeMeta(r, body);
  checkBodyName(body, name);
  const next = cloneJson(body);
  if (!record(next.metadata)) next.metadata = {};
  const ns = scopeNamespace(r, namespace);
  const bodyNs = next.metadata.namespace;
  if (r.def.namespaced && typeof bodyNs === 'string' && bodyNs !== '' && bodyNs !== ns) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const old = getOrNotFound(env, r, ns, name);
  return writeUpdate(env, tx, r, old, next, ctx, mode);
}

/** `body` must be a private copy; it becomes the stored object. */
export function writeUpdate(env: Env, tx: Tx, r: Resolved, old: KubeObject, body: KubeObject, ctx: RequestContext,
  mode: UpdateMode = {}): KubeObject {
  checkPreconditions(r, old, body);
  let next = buildNext(r, old, body, mode);
  if (!mode.raw) validateOrThrow(r, next, old);
  // Status writes are not admitted: KubeEdge's webhook rules name the main resources, not their status.
  if (!mode.raw && !mode.subresource) admitDeviceWrite(env, r, next, old);
  if (!mode.raw && !mode.keepManagedFields) next = recordWrite(env, r, old, next, ctx, mode.subresource);
  if (shouldDeleteDuringUpdate(r, next, old)) {
    return ctx.dryRun ? present(r, next) : present(r, removeObject(env, tx, r, old));
  }
  if (sameContent(old, next)) return present(r, old);
  if (isCrdResource(r) && !mode.subresource && !mode.raw) prepareCrdWrite(env, tx, r, next, old, ctx.dryRun === true);
  if (ctx.dryRun) return present(r, next);
  return present(r, env.store.update(r.key, next, parseRevision(old.metadata.resourceVersion)));
}

export function checkPreconditions(r: Resolved, old: KubeObject, body: KubeObject): void {
  const name = old.metadata.name ?? '';
  const uid = body.metadata.uid;
  if (typeof uid === 'string' && uid !== '' && uid !== old.metadata.uid) {
    throw errors.conflict(r.name, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${old.metadata.uid ?? ''}`);
  }
  const rv = body.metadata.resourceVersion;
  if (typeof rv === 'string' && rv !== '' && rv !== old.metadata.resourceVersion) {
    throw errors.conflict(r.name, name, optimisticLockMessage);
  }
}

function buildNext(r: Resolved, old: KubeObject, body: KubeObject, mode: UpdateMode): KubeObject {
  if (mode.raw) return body;
  if (mode.subresource === 'status') {
    // Status writes change status only; metadata (labels, finalizers, ...) stays as stored.
    const next = cloneJson(old);
    carryField(next, body, 'status');
    if (mode.keepManagedFields) carryMeta(next, body, 'managedFields');
    return next;
  }
  if (mode.subresource === 'finalize') return withSpecFinalizers(old, body);
  const next = body;
  next.apiVersion = r.storedApiVersion;
  next.kind = r.def.kind;
  for (const field of serverMeta) carryMeta(next, old, field);
  delete next.metadata.selfLink;
  next.metadata.resourceVersion = old.metadata.resourceVersion;
  if (r.def.subresources.status) carryField(next, old, 'status');
  r.def.strategy?.prepareForUpdate?.(next, old);
  if (specChanged(old, next)) next.metadata.generation = (old.metadata.generation ?? 0) + 1;
  return next;
}

/** namespaces/<name>/finalize: only spec.finalizers changes. */
function withSpecFinalizers(old: KubeObject, body: KubeObject): KubeObject {
  const next = cloneJson(old);
  const spec = record(next.spec) ?? {};
  const finalizers = record(body.spec)?.finalizers;
  if (Array.isArray(finalizers)) spec.finalizers = cloneJson(finalizers);
  else delete spec.finalizers;
  next.spec = spec;
  return next;
}

function specFinalizers(obj: KubeObject): unknown[] {
  const f = record(obj.spec)?.finalizers;
  return Array.isArray(f) ? f : [];
}

/** Kubernetes deletes, instead of updating, a terminating object whose last finalizer goes (and whose
 *  grace period is over); a namespace also needs its spec.finalizers empty. */
function shouldDeleteDuringUpdate(r: Resolved, next: KubeObject, old: KubeObject): boolean {
  if (finalizersOf(next).length > 0 || !isTerminating(old)) return false;
  const grace = old.metadata.deletionGracePeriodSeconds;
  if (typeof grace === 'number' && grace !== 0) return false;
  return !isCore(r, 'namespaces') || specFinalizers(next).length === 0;
}
