// createObjectAPI: the ObjectAPI contract over a Store and a Catalog. Each mutating call runs in one store
// transaction; reads go straight to the store.
import type { KubeObject } from '../../api/index.js';
import { bindPod } from './binding.js';
import { createObject } from './create.js';
import { loadStoredCrds } from './crd-hooks.js';
import { deleteCollection, deleteObject } from './delete.js';
import { inTransaction, resolveEnv, type Env, type ObjectApiDeps } from './env.js';
import { listObjects } from './list.js';
import { patchResource } from './patch.js';
import { getOrNotFound, isCore, present, resolve, resourceNotFound, scopeNamespace, type Resolved } from './resolve.js';
import { getScale, updateScale } from './scale.js';
import type { ApiWatch, ObjectAPI, ResourceRef, Subresource } from './types.js';
import { updateObject } from './update.js';
import { watchObjects } from './watch.js';

export interface ObjectAPIService extends ObjectAPI {
  /** Serves every CRD found in storage (call once at start-up, after the catalog holds the built-ins). */
  loadCRDs(): void;
  /** Stops every open watch. The store is the caller's to close. */
  close(): void;
}

/** status needs a status subresource, finalize is for namespaces only; scale is checked by the scale code. */
function checkSubresource(r: Resolved, subresource: Subresource | undefined): void {
  if (subresource === 'status' && !r.def.subresources.status) throw resourceNotFound();
  if (subresource === 'finalize' && !isCore(r, 'namespaces')) throw resourceNotFound();
}

function getObject(env: Env, r: Resolved, namespace: string, name: string, subresource?: Subresource): KubeObject {
  if (subresource === 'scale') return getScale(env, r, namespace, name);
  checkSubresource(r, subresource);
  return present(r, getOrNotFound(env, r, scopeNamespace(r, namespace), name));
}

/** Remembers open watches so that close() can stop them. */
function tracked(watches: Set<ApiWatch>, inner: ApiWatch): ApiWatch {
  const handle: ApiWatch = {
    stop() {
      watches.delete(handle);
      inner.stop();
    },
  };
  watches.add(handle);
  return handle;
}

export function createObjectAPI(deps: ObjectApiDeps): ObjectAPIService {
  const env = resolveEnv(deps);
  const watches = new Set<ApiWatch>();
  const res = (ref: ResourceRef): Resolved => resolve(env, ref);
  return {
    def: (ref) => res(ref).def,
    get: (ref, namespace, name, subresource) => getObject(env, res(ref), namespace, name, subresource),
    list: (ref, options = {}) => listObjects(env, res(ref), options),
    watch: (ref, options, onEvent) => tracked(watches, watchObjects(env, res(ref), options, onEvent)),
    create: (ref, namespace, obj, ctx = {}) => {
      const r = res(ref);
      return inTransaction(env, (tx) => createObject(env, tx, r, namespace, obj, ctx));
    },
    update(ref, namespace, name, obj, ctx = {}, subresource) {
      const r = res(ref);
      if (subresource === 'scale') return inTransaction(env, (tx) => updateScale(env, tx, r, namespace, name, obj, ctx));
      checkSubresource(r, subresource);
      return inTransaction(env, (tx) => updateObject(env, tx, r, namespace, name, obj, ctx, subresource ? { subresource } : {}));
    },
    patch(ref, namespace, name, type, patch, options = {}, subresource) {
      const r = res(ref);
      if (subresource !== 'scale') checkSubresource(r, subresource);
      return inTransaction(env, (tx) => patchResource(env, tx, r, namespace, name, type, patch, options, subresource));
    },
    delete(ref, namespace, name, options = {}, ctx = {}) {
      const r = res(ref);
      return inTransaction(env, (tx) => deleteObject(env, tx, r, namespace, name, options, ctx));
    },
    deleteCollection(ref, options, ctx = {}) {
      const r = res(ref);
      return inTransaction(env, (tx) => deleteCollection(env, tx, r, options, ctx));
    },
    bind(namespace, podName, binding, ctx = {}) {
      const pods = res({ group: '', resource: 'pods' });
      return inTransaction(env, (tx) => bindPod(env, tx, pods, namespace, podName, binding, ctx));
    },
    loadCRDs() {
      const served = loadStoredCrds(env);
      if (served > 0) env.log.info('objects: stored CRDs served', { count: served });
    },
    close() {
      for (const w of [...watches]) w.stop();
    },
  };
}
