// PATCH: read the stored object, apply the patch (strategic merge, merge, JSON patch, or server-side
// apply) and write the result through the update path, so every update rule applies. A resourceVersion
// in the patch is therefore a precondition. Server-side apply creates the object when it is missing.
import { parse as parseYaml } from 'yaml';
import { isKubeObject, type KubeObject } from '../../api/index.js';
import { errors } from '../errors.js';
import { patchObject, serverSideApply } from '../patch/index.js';
import { createObject } from './create.js';
import type { Env, Tx } from './env.js';
import { resetFieldsFor } from './managed.js';
import { rfc3339 } from './object-meta.js';
import { checkBodyName, checkTypeMeta, getOrNotFound, present, scopeNamespace, type Resolved } from './resolve.js';
import { getScale, scaleApiVersion, updateScale } from './scale.js';
import type { PatchOptions, PatchType, Subresource } from './types.js';
import { writeUpdate, type UpdateMode } from './update.js';

/** Bodies may arrive as text or bytes: JSON for the patch types, YAML (a superset) for apply. */
function decodePatch(type: PatchType, patch: unknown): unknown {
  const text = typeof patch === 'string' ? patch : patch instanceof Uint8Array ? Buffer.from(patch).toString('utf8') : undefined;
  if (text === undefined) return patch;
  try {
    return type === 'apply' ? parseYaml(text) as unknown : JSON.parse(text) as unknown;
  } catch (err) {
    throw errors.badRequest(`error decoding patch: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function targetFor(env: Env, r: Resolved, options: PatchOptions, subresource?: string) {
  return {
    kind: r.def.kind,
    apiVersion: r.apiVersion,
    strategicMerge: r.def.strategicMerge,
    ...(options.fieldManager ? { fieldManager: options.fieldManager } : {}),
    ...(options.force !== undefined ? { force: options.force } : {}),
    ...(subresource ? { subresource } : {}),
    time: rfc3339(env.now()),
    resetFields: subresource === 'status' ? [] : resetFieldsFor(r, subresource),
  };
}

function requireFieldManager(options: PatchOptions): void {
  if (!options.fieldManager) {
    throw errors.invalid('PatchOptions', 'meta.k8s.io', '', [
      { reason: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch' },
    ]);
  }
}

export function patchResource(env: Env, tx: Tx, r: Resolved, namespace: string | undefined, name: string, type: PatchType,
  patch: unknown, options: PatchOptions, subresource?: Subresource | 'finalize'): KubeObject {
  const body = decodePatch(type, patch);
  if (type === 'apply') requireFieldManager(options);
  if (subresource === 'scale') return patchScale(env, tx, r, namespace, name, type, body, options);
  const sub = subresource === 'status' || subresource === 'finalize' ? subresource : undefined;
  const mode: UpdateMode = sub ? { subresource: sub } : {};
  const ns = scopeNamespace(r, namespace);
  if (type === 'apply') return applyPatch(env, tx, r, ns, name, body, options, mode);
  const old = getOrNotFound(env, r, ns, name);
  // managedFields are recorded by the update path, once, for every patch type but apply.
  const { fieldManager: _manager, ...target } = targetFor(env, r, options, sub);
  const patched = patchObject(type, present(r, old), body, target);
  checkPatched(r, patched, name, ns);
  return writeUpdate(env, tx, r, old, patched, options, mode);
}

/** A patch may not move the object: name and namespace stay those of the URL. */
function checkPatched(r: Resolved, patched: KubeObject, name: string, namespace: string): void {
  checkTypeMeta(r, patched);
  checkBodyName(patched, name);
  if (r.def.namespaced && patched.metadata.namespace !== undefined && patched.metadata.namespace !== namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

function applyPatch(env: Env, tx: Tx, r: Resolved, namespace: string, name: string, body: unknown, options: PatchOptions,
  mode: UpdateMode): KubeObject {
  if (!isKubeObject(body)) throw errors.badRequest('apply patches must be a Kubernetes object (with metadata)');
  checkTypeMeta(r, body);
  checkBodyName(body, name);
  const applied: KubeObject = { ...body, metadata: { ...body.metadata, name } };
  const old = env.store.get(r.key, namespace, name);
  const target = targetFor(env, r, options, mode.subresource);
  if (!old) {
    if (mode.subresource) throw errors.notFound(r.name, name);
    const created = serverSideApply(undefined, applied, target);
    return createObject(env, tx, r, namespace || undefined, created, options, { keepManagedFields: true });
  }
  const merged = serverSideApply(present(r, old), applied, target);
  checkPatched(r, merged, name, namespace);
  return writeUpdate(env, tx, r, old, merged, options, { ...mode, keepManagedFields: true });
}

function patchScale(env: Env, tx: Tx, r: Resolved, namespace: string | undefined, name: string, type: PatchType,
  body: unknown, options: PatchOptions): KubeObject {
  const current = getScale(env, r, namespace, name);
  const target = {
    kind: 'Scale', apiVersion: scaleApiVersion, strategicMerge: true, subresource: 'scale', time: rfc3339(env.now()),
    ...(options.fieldManager ? { fieldManager: options.fieldManager } : {}),
    ...(options.force !== undefined ? { force: options.force } : {}),
  };
  const patched = type === 'apply'
    ? serverSideApply(current, requireObject(body), target)
    : patchObject(type, current, body, { ...target, fieldManager: undefined });
  return updateScale(env, tx, r, namespace, name, patched, options);
}

function requireObject(body: unknown): KubeObject {
  if (!isKubeObject(body)) throw errors.badRequest('apply patches must be a Kubernetes object (with metadata)');
  return body;
}
