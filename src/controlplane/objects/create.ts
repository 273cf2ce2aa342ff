// POST: admission (namespace lifecycle), server-set metadata (uid, creationTimestamp, generation, name from
// generateName), the kind's defaults, validation, device admission, then one store write (none for dryRun).
import type { KubeObject } from '../../api/index.js';
import { isApiError } from '../errors.js';
import { admitCreate } from './admission.js';
import { isCrdResource, prepareCrdWrite } from './crd-hooks.js';
import { admitDeviceWrite } from './device-admission.js';
import type { Env, Tx } from './env.js';
import { recordWrite } from './managed.js';
import { cloneJson, generateName, record, rfc3339 } from './object-meta.js';
import { checkTypeMeta, isCore, present, reconcileNamespace, type Resolved } from './resolve.js';
import type { RequestContext } from './types.js';
import { validateOrThrow } from './validation.js';

/** Attempts at a fresh random suffix when a generated name is taken (kube-apiserver retries too). */
const generateNameAttempts = 8;

export interface CreateMode {
  /** Server-side apply already wrote managedFields (operation Apply): keep them. */
  keepManagedFields?: boolean;
}

export function createObject(env: Env, tx: Tx, r: Resolved, namespace: string | undefined, body: KubeObject,
  ctx: RequestContext, mode: CreateMode = {}): KubeObject {
  checkTypeMeta(r, body);
  const obj = cloneJson(body);
  if (!record(obj.metadata)) obj.metadata = {};
  const ns = reconcileNamespace(r, namespace, obj);
  admitCreate(env, r, ns, typeof obj.metadata.name === 'string' ? obj.metadata.name : '');
  const generated = prepareForCreate(env, r, obj);
  validateOrThrow(r, obj);
  admitDeviceWrite(env, r, obj);
  const ready = mode.keepManagedFields ? obj : recordWrite(env, r, undefined, obj, ctx);
  if (isCrdResource(r)) prepareCrdWrite(env, tx, r, ready, undefined, ctx.dryRun === true);
  if (ctx.dryRun) return present(r, ready);
  return present(r, storeCreate(env, r, ready, generated));
}

/** Returns whether the name was generated (and may be regenerated on a clash). */
function prepareForCreate(env: Env, r: Resolved, obj: KubeObject): boolean {
  const { def } = r;
  obj.apiVersion = r.storedApiVersion;
  obj.kind = def.kind;
  const meta = obj.metadata;
  for (const field of ['resourceVersion', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink']) delete meta[field];
  meta.uid = env.newUid();
  meta.creationTimestamp = rfc3339(env.now());
  meta.generation = 1;
  // Status is written through its subresource; kubelets register nodes with their status, so nodes keep it.
  if (def.subresources.status && !isCore(r, 'nodes')) delete obj.status;
  def.strategy?.prepareForCreate?.(obj);
  if (meta.name || typeof meta.generateName !== 'string' || meta.generateName === '') return false;
  meta.name = generateName(meta.generateName);
  return true;
}

function storeCreate(env: Env, r: Resolved, obj: KubeObject, generated: boolean): KubeObject {
  const prefix = obj.metadata.generateName ?? '';
  for (let attempt = 1; ; attempt++) {
    try {
      return env.store.create(r.key, obj);
    } catch (err) {
      const clash = isApiError(err) && err.reason === 'AlreadyExists';
      if (!clash || !generated || attempt >= generateNameAttempts) throw err;
      obj.metadata.name = generateName(prefix);
    }
  }
}
