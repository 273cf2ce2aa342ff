// The garbage collector's view of the ownership graph: the watched resources (built-ins and the custom
// resources of served CRDs), lookups by kind, dependents by owner uid, and the state of an owner.
import type { KubeObject, OwnerReference } from '../../api/index.js';
import { isApiError } from '../errors.js';
import type { ObjectAPI, ResourceRef } from '../objects/index.js';
import type { Informer } from './informer.js';
import { groupOf, type KnownResource } from './resources.js';

export interface WatchedResource {
  known: KnownResource;
  informer: Informer;
}

/** solid: exists and is not waiting for us; waiting: in foreground deletion; dangling: gone (or a
 *  different object with that name); unknown: a kind we cannot look up, so never a reason to delete. */
export type OwnerState = 'solid' | 'waiting' | 'dangling' | 'unknown';

export const finalizers = { foreground: 'foregroundDeletion', orphan: 'orphan' } as const;

export const resourceId = (ref: ResourceRef): string => `${ref.group}/${ref.resource}`;

export class OwnershipGraph {
  private readonly byId = new Map<string, WatchedResource>();
  private readonly byKind = new Map<string, WatchedResource>();

  constructor(private readonly api: ObjectAPI) {}

  add(w: WatchedResource): void {
    this.byId.set(resourceId(w.known.ref), w);
    this.byKind.set(`${w.known.ref.group}/${w.known.kind}`, w);
  }

  remove(ref: ResourceRef): WatchedResource | undefined {
    const w = this.byId.get(resourceId(ref));
    if (!w) return undefined;
    this.byId.delete(resourceId(ref));
    this.byKind.delete(`${ref.group}/${w.known.kind}`);
    return w;
  }

  has(ref: ResourceRef): boolean {
    return this.byId.has(resourceId(ref));
  }

  get(id: string): WatchedResource | undefined {
    return this.byId.get(id);
  }

  all(): WatchedResource[] {
    return [...this.byId.values()];
  }

  /** Objects of every watched resource with an ownerReference to this uid. */
  dependentsOf(uid: string): { w: WatchedResource; obj: KubeObject }[] {
    const out: { w: WatchedResource; obj: KubeObject }[] = [];
    for (const w of this.byId.values()) for (const obj of w.informer.byOwner(uid)) out.push({ w, obj });
    return out;
  }

  /** Where an owner lives: its resource and namespace; undefined for kinds we do not serve or watch. */
  locate(ref: OwnerReference, dependent: KubeObject): { w: WatchedResource; namespace: string } | undefined {
    const w = this.byKind.get(`${groupOf(ref.apiVersion)}/${ref.kind}`);
    if (!w) return undefined;
    const depNs = dependent.metadata.namespace ?? '';
    // A cluster-scoped object cannot be owned by a namespaced one; such a reference is left alone.
    if (w.known.namespaced && depNs === '') return undefined;
    return { w, namespace: w.known.namespaced ? depNs : '' };
  }

  /** The owner's state: the cache answers "exists"; "gone" is confirmed with the object API, because
   *  a cache that has not caught up must never cause a deletion. */
  ownerState(ref: OwnerReference, dependent: KubeObject): OwnerState {
    const where = this.locate(ref, dependent);
    if (!where) return 'unknown';
    let owner = where.w.informer.get(where.namespace, ref.name);
    if (!owner || owner.metadata.uid !== ref.uid) {
      try {
        owner = this.api.get(where.w.known.ref, where.namespace, ref.name);
      } catch (err) {
        if (isApiError(err) && err.code === 404) return 'dangling';
        throw err;
      }
      if (owner.metadata.uid !== ref.uid) return 'dangling';
    }
    const waiting = owner.metadata.deletionTimestamp && owner.metadata.finalizers?.includes(finalizers.foreground);
    return waiting ? 'waiting' : 'solid';
  }
}
