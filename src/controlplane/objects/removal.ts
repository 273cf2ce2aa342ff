// The one place an object leaves storage (delete, an update that empties the last finalizer, the CRD
// clean-up), so that what must follow a removal always follows it.
import type { KubeObject } from '../../api/index.js';
import { afterCrdRemoved, isCrdResource } from './crd-hooks.js';
import type { Env, Tx } from './env.js';
import { parseRevision } from './object-meta.js';
import type { Resolved } from './resolve.js';

/** Removes `obj` if it is still the stored version (Conflict otherwise); returns its last state. */
export function removeObject(env: Env, tx: Tx, r: Resolved, obj: KubeObject): KubeObject {
  const removed = env.store.delete(r.key, obj.metadata.namespace ?? '', obj.metadata.name ?? '',
    parseRevision(obj.metadata.resourceVersion));
  if (isCrdResource(r)) afterCrdRemoved(env, tx, removed);
  return removed;
}
