// DELETE and DELETE collection: preconditions, graceful pod deletion, finalizers and propagation, the
// namespace termination protocol, and removal from storage.
import type { KubeList, KubeObject } from '../../api/index.js';
import { errors, isApiError } from '../errors.js';
import { admitDelete } from './admission.js';
import { planDelete, type DeletePlan } from './delete-plan.js';
import type { Env, Tx } from './env.js';
import { listObjects } from './list.js';
import { cloneJson, finalizersOf, isTerminating, parseRevision, record, rfc3339, sameContent, setFinalizers } from './object-meta.js';
import { removeObject } from './removal.js';
import { getOrNotFound, isCore, present, scopeNamespace, type Resolved } from './resolve.js';
import type { DeleteOptions, ListOptions, RequestContext } from './types.js';

export function deleteObject(env: Env, tx: Tx, r: Resolved, namespace: string | undefined, name: string,
  options: DeleteOptions, ctx: RequestContext): KubeObject {
  admitDelete(r, name);
  const obj = getOrNotFound(env, r, scopeNamespace(r, namespace), name);
  checkDeletePreconditions(r, obj, options.preconditions);
  const dryRun = options.dryRun === true || ctx.dryRun === true;
  if (isCore(r, 'namespaces')) {
    const answered = deleteNamespace(env, tx, r, obj, options, dryRun);
    if (answered) return answered;
  }
  const plan = planDelete(obj, options, { graceful: isCore(r, 'pods'), now: env.now() });
  return execute(env, tx, r, obj, plan, dryRun);
}

function checkDeletePreconditions(r: Resolved, obj: KubeObject, pre: DeleteOptions['preconditions']): void {
  const name = obj.metadata.name ?? '';
  if (pre?.uid !== undefined && pre.uid !== obj.metadata.uid) {
    throw errors.conflict(r.name, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid ?? ''}`);
  }
  if (pre?.resourceVersion !== undefined && pre.resourceVersion !== obj.metadata.resourceVersion) {
    throw errors.conflict(r.name, name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion ?? ''}`);
  }
}

function execute(env: Env, tx: Tx, r: Resolved, obj: KubeObject, plan: DeletePlan, dryRun: boolean): KubeObject {
  switch (plan.action) {
    case 'keep':
      return present(r, obj);
    case 'mark':
      if (dryRun || sameContent(obj, plan.object)) return present(r, dryRun ? plan.object : obj);
      return present(r, env.store.update(r.key, plan.object, parseRevision(obj.metadata.resourceVersion)));
    case 'remove': {
      if (dryRun) return present(r, plan.object ?? obj);
      const marked = plan.object && !sameContent(obj, plan.object)
        ? env.store.update(r.key, plan.object, parseRevision(obj.metadata.resourceVersion))
        : obj;
      return present(r, removeObject(env, tx, r, marked));
    }
  }
}

function specFinalizers(ns: KubeObject): unknown[] {
  const f = record(ns.spec)?.finalizers;
  return Array.isArray(f) ? f : [];
}

/**
 * Namespaces: the first delete marks the namespace Terminating and keeps it for the namespace controller,
 * which empties it and then clears spec.finalizers through namespaces/<name>/finalize (an update that
 * then removes it). Returns undefined when the generic path applies (spec.finalizers already empty).
 */
function deleteNamespace(env: Env, tx: Tx, r: Resolved, ns: KubeObject, options: DeleteOptions, dryRun: boolean): KubeObject | undefined {
  if (isTerminating(ns)) return specFinalizers(ns).length > 0 ? present(r, ns) : undefined;
  const next = cloneJson(ns);
  next.metadata.deletionTimestamp = rfc3339(env.now());
  next.status = { ...(record(next.status) ?? {}), phase: 'Terminating' };
  setFinalizers(next, namespaceFinalizers(finalizersOf(next), options));
  // Nothing would ever finalize a namespace without finalizers, so it goes at once.
  if (specFinalizers(next).length === 0 && finalizersOf(next).length === 0) {
    return dryRun ? present(r, next) : present(r, removeObject(env, tx, r, ns));
  }
  if (dryRun) return present(r, next);
  return present(r, env.store.update(r.key, next, parseRevision(ns.metadata.resourceVersion)));
}

/** For namespaces only an explicit policy changes the orphan/foreground finalizers. */
function namespaceFinalizers(existing: string[], options: DeleteOptions): string[] {
  const policy = options.propagationPolicy;
  if (!policy) return existing;
  const out = existing.filter((f) => f !== 'orphan' && f !== 'foregroundDeletion');
  if (policy === 'Orphan') out.push('orphan');
  if (policy === 'Foreground') out.push('foregroundDeletion');
  return out;
}

/** Deletes every object the selectors match, one by one (objects gone meanwhile are skipped). */
export function deleteCollection(env: Env, tx: Tx, r: Resolved, options: ListOptions & DeleteOptions, ctx: RequestContext): KubeList {
  if (isCore(r, 'namespaces')) throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
  const selection: ListOptions = {};
  if (options.namespace) selection.namespace = options.namespace;
  if (options.labelSelector) selection.labelSelector = options.labelSelector;
  if (options.fieldSelector) selection.fieldSelector = options.fieldSelector;
  const listed = listObjects(env, r, selection);
  const { preconditions: _ignored, ...perItem } = options;
  const items: KubeObject[] = [];
  for (const item of listed.items) {
    try {
      items.push(deleteObject(env, tx, r, item.metadata.namespace, item.metadata.name ?? '', perItem, ctx));
    } catch (err) {
      if (!isApiError(err) || err.code !== 404) throw err;
    }
  }
  return { apiVersion: listed.apiVersion, kind: listed.kind, metadata: { resourceVersion: listed.metadata.resourceVersion ?? '' }, items };
}
