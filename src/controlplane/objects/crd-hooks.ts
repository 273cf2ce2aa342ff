// CustomResourceDefinitions change what the server serves: writing one registers it in the catalog (an
// invalid one is a 422 and nothing is stored), removing one removes its custom resources and stops
// serving them, and the CRDs in storage are served again at start-up.
import type { KubeObject } from '../../api/index.js';
import { errors, isApiError } from '../errors.js';
import { storageResource } from '../registry/types.js';
import type { Env, Tx } from './env.js';
import type { Resolved } from './resolve.js';

export const crdGroup = 'apiextensions.k8s.io';
export const crdResourceKey = `${crdGroup}/customresourcedefinitions`;

export function isCrdResource(r: Resolved): boolean {
  return r.def.group === crdGroup && r.def.resource === 'customresourcedefinitions';
}

function register(env: Env, crd: KubeObject): void {
  try {
    env.catalog.registerCRD(crd);
  } catch (err) {
    if (isApiError(err)) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw errors.invalid('CustomResourceDefinition', crdGroup, crd.metadata.name ?? '', [{ reason: 'FieldValueInvalid', message }]);
  }
}

/**
 * Registers the CRD being created (old undefined) or updated before it is stored; the registration is
 * undone if the transaction fails, and at once for a dry run. (Its status comes from the CRD strategy.)
 */
export function prepareCrdWrite(env: Env, tx: Tx, r: Resolved, crd: KubeObject, old: KubeObject | undefined, dryRun: boolean): void {
  const name = crd.metadata.name ?? '';
  // Checked before registering, so that a duplicate create cannot replace (and then drop) the served one.
  if (!old && env.store.get(r.key, '', name)) throw errors.alreadyExists(r.name, name);
  register(env, crd);
  const restore = (): void => {
    if (old) env.catalog.registerCRD(old);
    else env.catalog.unregisterCRD(name);
  };
  if (dryRun) restore();
  else tx.onRollback(restore);
}

/** After a CRD left storage: its custom resources go too (in the same transaction), then it is unserved. */
export function afterCrdRemoved(env: Env, tx: Tx, crd: KubeObject): void {
  const name = crd.metadata.name ?? '';
  const def = env.catalog.all().find((d) => d.crd === name);
  if (def) {
    const key = storageResource(def);
    for (const item of env.store.list(key).items) {
      env.store.delete(key, item.metadata.namespace ?? '', item.metadata.name ?? '');
    }
  }
  tx.afterCommit(() => {
    env.catalog.unregisterCRD(name);
  });
}

/** Serves every stored CRD; one that no longer registers is logged and skipped. */
export function loadStoredCrds(env: Env): number {
  let served = 0;
  for (const crd of env.store.list(crdResourceKey).items) {
    try {
      env.catalog.registerCRD(crd);
      served++;
    } catch (err) {
      env.log.warn('objects: stored CRD not served', {
        name: crd.metadata.name, error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return served;
}
