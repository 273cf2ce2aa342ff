// Controller references and the adopt/release rules of Kubernetes' ControllerRefManager: a controller
// owns the objects whose controller reference carries its uid; it adopts orphans its selector matches
// and releases owned objects its selector no longer matches.
import type { KubeObject, OwnerReference } from '../../api/index.js';
import { isApiError } from '../errors.js';
import type { ObjectAPI, ResourceRef } from '../objects/index.js';
import { clone, specOf } from './kube-types.js';
import { selectorMatcher } from './selector.js';
import type { Informer } from './informer.js';

export function controllerRefOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/**
 * The controllers of `kind` an event on `obj` concerns (Kubernetes' resolveControllerRef plus orphan
 * matching): its controller when that is of `kind`, none when another kind controls it, and for an
 * orphan every controller in its namespace whose selector matches, since one of them may adopt it.
 */
export function controllersToSync(obj: KubeObject, kind: string, controllers: Informer): KubeObject[] {
  const ref = controllerRefOf(obj);
  if (ref) {
    const owner = ref.kind === kind ? controllers.getByUid(ref.uid) : undefined;
    return owner ? [owner] : [];
  }
  return controllers.list(obj.metadata.namespace ?? '').filter((c) => selectorMatcher(specOf(c).selector)(obj));
}

export function isControlledBy(obj: KubeObject, ownerUid: string | undefined): boolean {
  return ownerUid !== undefined && controllerRefOf(obj)?.uid === ownerUid;
}

/** The controller reference a workload puts on what it creates (blockOwnerDeletion for foreground deletion). */
export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return {
    apiVersion, kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '',
    controller: true, blockOwnerDeletion: true,
  };
}

export interface ClaimOptions {
  api: ObjectAPI;
  ref: ResourceRef;
  /** Cache of the candidates; our writes are applied to it at once. */
  informer: Informer;
  owner: KubeObject;
  ownerApiVersion: string;
  ownerKind: string;
  matches: (obj: KubeObject) => boolean;
}

/**
 * The objects of `candidates` this owner controls after adoption and release. Adoption and release are
 * updates carrying the cached resourceVersion, so a concurrent change answers 409 and the caller retries.
 */
export function claimObjects(candidates: KubeObject[], o: ClaimOptions): KubeObject[] {
  const ownerUid = o.owner.metadata.uid;
  const ownerDeleting = Boolean(o.owner.metadata.deletionTimestamp);
  const claimed: KubeObject[] = [];
  for (const obj of candidates) {
    const ref = controllerRefOf(obj);
    if (ref) {
      if (ref.uid !== ownerUid) continue;
      if (o.matches(obj)) claimed.push(obj);
      else if (!ownerDeleting && !obj.metadata.deletionTimestamp) release(obj, o);
      continue;
    }
    if (ownerDeleting || obj.metadata.deletionTimestamp || !o.matches(obj)) continue;
    claimed.push(adopt(obj, o));
  }
  return claimed;
}

function adopt(obj: KubeObject, o: ClaimOptions): KubeObject {
  const next = clone(obj);
  next.metadata.ownerReferences = [...(next.metadata.ownerReferences ?? []),
    newControllerRef(o.owner, o.ownerApiVersion, o.ownerKind)];
  const saved = o.api.update(o.ref, next.metadata.namespace ?? '', next.metadata.name ?? '', next);
  o.informer.observe(saved);
  return saved;
}

function release(obj: KubeObject, o: ClaimOptions): void {
  const next = clone(obj);
  next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== o.owner.metadata.uid);
  try {
    o.informer.observe(o.api.update(o.ref, next.metadata.namespace ?? '', next.metadata.name ?? '', next));
  } catch (err) {
    // Gone already: nothing to release.
    if (!(isApiError(err) && err.code === 404)) throw err;
  }
}
