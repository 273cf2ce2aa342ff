// The garbage collector. Background: an object whose owners are all gone (by uid) is deleted; dangling
// references next to a live owner are removed. Foreground: an owner being deleted with the
// `foregroundDeletion` finalizer has its dependents deleted, and loses the finalizer (so the object API
// removes it) once no dependent with blockOwnerDeletion is left. Orphan: an owner with the `orphan`
// finalizer has its reference removed from every dependent, then loses the finalizer.
//
// Watched: the built-ins of resources.ts plus the custom resources of every served CRD (found through
// the CRD objects, since the object API cannot list its resources). Events are not watched: nothing
// owns them.
import type { KubeObject } from '../../api/index.js';
import { isApiError } from '../errors.js';
import { finalizers, OwnershipGraph, resourceId, type OwnerState, type WatchedResource } from './gc-graph.js';
import { objectKey, splitKey } from './informer.js';
import { clone, specOf } from './kube-types.js';
import { QueueController } from './queue-controller.js';
import { ownerGraphResources, refs, type KnownResource } from './resources.js';
import type { ControllerDeps } from './types.js';
import type { ProcessResult } from './work-queue.js';

export class GarbageCollector extends QueueController {
  private readonly graph: OwnershipGraph;

  constructor(deps: ControllerDeps) {
    super(deps, { name: 'garbagecollector', component: 'garbage-collector-controller' });
    this.graph = new OwnershipGraph(deps.api);
    for (const known of ownerGraphResources) if (this.served(known)) this.watch(known, true);
    this.informers.for(refs.crds).addHandlers({
      add: (crd) => this.onCrd(crd),
      update: (_o, crd) => this.onCrd(crd),
      delete: (crd) => this.onCrdGone(crd),
    });
  }

  private watch(known: KnownResource, required: boolean): void {
    if (this.graph.has(known.ref)) return;
    const informer = required ? this.use(known.ref) : this.informers.for(known.ref);
    const w: WatchedResource = { known, informer };
    this.graph.add(w);
    informer.addHandlers({
      add: (obj) => this.onChange(w, obj),
      update: (old, obj) => this.onChange(w, obj, old),
      delete: (obj) => this.onDelete(obj),
    });
  }

  private served(known: KnownResource): boolean {
    try {
      this.api.def(known.ref);
      return true;
    } catch {
      return false;
    }
  }

  private onCrd(crd: KubeObject): void {
    const spec = specOf(crd) as { group?: string; names?: { plural?: string; kind?: string }; scope?: string; versions?: { name?: string; storage?: boolean }[] };
    if (!spec.group || !spec.names?.plural || !spec.names.kind) return;
    const ref = { group: spec.group, resource: spec.names.plural };
    if (this.graph.has(ref)) return;
    try {
      this.api.def(ref);
    } catch {
      return; // not served yet; the CRD's next update (Established) brings us back
    }
    const version = spec.versions?.find((v) => v.storage)?.name ?? spec.versions?.[0]?.name ?? 'v1';
    this.watch({ ref, apiVersion: `${spec.group}/${version}`, kind: spec.names.kind, namespaced: spec.scope !== 'Cluster' }, false);
  }

  private onCrdGone(crd: KubeObject): void {
    const spec = specOf(crd) as { group?: string; names?: { plural?: string } };
    if (!spec.group || !spec.names?.plural) return;
    const ref = { group: spec.group, resource: spec.names.plural };
    if (this.graph.remove(ref)) this.informers.remove(ref);
  }

  private key(w: WatchedResource, obj: KubeObject): string {
    return `${resourceId(w.known.ref)}:${objectKey(obj)}`;
  }

  private onChange(w: WatchedResource, obj: KubeObject, old?: KubeObject): void {
    const fins = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp && (fins.includes(finalizers.foreground) || fins.includes(finalizers.orphan))) {
      this.queue.add(this.key(w, obj));
    }
    const refsNow = obj.metadata.ownerReferences ?? [];
    if (refsNow.length > 0 && (!old || JSON.stringify(old.metadata.ownerReferences) !== JSON.stringify(refsNow))) {
      this.queue.add(this.key(w, obj));
    }
    // A dependent that let go of an owner, or started terminating, may unblock that owner.
    if (old) this.enqueueDeletingOwners(old);
  }

  private onDelete(obj: KubeObject): void {
    if (obj.metadata.uid) for (const { w, obj: dep } of this.graph.dependentsOf(obj.metadata.uid)) this.queue.add(this.key(w, dep));
    this.enqueueDeletingOwners(obj);
  }

  private enqueueDeletingOwners(obj: KubeObject): void {
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const where = this.graph.locate(ref, obj);
      const owner = where?.w.informer.get(where.namespace, ref.name);
      if (where && owner?.metadata.deletionTimestamp && owner.metadata.uid === ref.uid) this.queue.add(this.key(where.w, owner));
    }
  }

  protected reconcile(key: string): ProcessResult {
    const i = key.indexOf(':');
    const w = this.graph.get(key.slice(0, i));
    const { namespace, name } = splitKey(key.slice(i + 1));
    const obj = w?.informer.get(namespace, name);
    if (!w || !obj) return;
    if (obj.metadata.deletionTimestamp) {
      const fins = obj.metadata.finalizers ?? [];
      if (fins.includes(finalizers.orphan)) this.orphanDependents(w, obj);
      else if (fins.includes(finalizers.foreground)) this.deleteDependents(w, obj);
      return;
    }
    if ((obj.metadata.ownerReferences ?? []).length > 0) this.checkOwners(w, obj);
  }

  private orphanDependents(w: WatchedResource, owner: KubeObject): void {
    const uid = owner.metadata.uid ?? '';
    for (const dep of this.graph.dependentsOf(uid)) {
      this.write(dep.w, dep.obj, (o) => {
        o.metadata.ownerReferences = (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      });
    }
    this.write(w, owner, (o) => { o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== finalizers.orphan); });
  }

  private deleteDependents(w: WatchedResource, owner: KubeObject): void {
    const uid = owner.metadata.uid ?? '';
    const deps = this.graph.dependentsOf(uid);
    for (const dep of deps) {
      if (dep.obj.metadata.deletionTimestamp) continue;
      const hasOwn = this.graph.dependentsOf(dep.obj.metadata.uid ?? '').length > 0;
      this.remove(dep.w, dep.obj, hasOwn ? 'Foreground' : 'Background');
    }
    const blocking = deps.filter((d) => d.obj.metadata.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion === true));
    if (blocking.length > 0) return;
    this.write(w, owner, (o) => { o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== finalizers.foreground); });
  }

  private checkOwners(w: WatchedResource, obj: KubeObject): void {
    const states = new Map<string, OwnerState>();
    for (const ref of obj.metadata.ownerReferences ?? []) states.set(ref.uid, this.graph.ownerState(ref, obj));
    const values = [...states.values()];
    const solid = values.some((s) => s === 'solid' || s === 'unknown');
    if (!solid) {
      const waiting = values.includes('waiting');
      const hasOwn = this.graph.dependentsOf(obj.metadata.uid ?? '').length > 0;
      this.remove(w, obj, waiting && hasOwn ? 'Foreground' : 'Background');
      return;
    }
    const dangling = values.includes('dangling');
    const waitingBlocked = (obj.metadata.ownerReferences ?? []).some((r) => states.get(r.uid) === 'waiting' && r.blockOwnerDeletion);
    if (!dangling && !waitingBlocked) return;
    // Another owner keeps this object alive: drop dead references and stop blocking deleting owners.
    this.write(w, obj, (o) => {
      o.metadata.ownerReferences = (o.metadata.ownerReferences ?? [])
        .filter((r) => states.get(r.uid) !== 'dangling')
        .map((r) => (states.get(r.uid) === 'waiting' ? { ...r, blockOwnerDeletion: false } : r));
    });
  }

  private remove(w: WatchedResource, obj: KubeObject, propagationPolicy: 'Foreground' | 'Background'): void {
    try {
      const gone = this.api.delete(w.known.ref, obj.metadata.namespace ?? '', obj.metadata.name ?? '',
        { propagationPolicy, ...(obj.metadata.uid ? { preconditions: { uid: obj.metadata.uid } } : {}) });
      w.informer.observeDeleted(gone);
      this.log.debug('deleted dependent', { object: `${w.known.kind} ${objectKey(obj)}`, propagationPolicy });
    } catch (err) {
      if (!(isApiError(err) && (err.code === 404 || err.code === 409))) throw err;
    }
  }

  private write(w: WatchedResource, obj: KubeObject, change: (o: KubeObject) => void): void {
    const next = clone(obj);
    change(next);
    try {
      w.informer.observe(this.api.update(w.known.ref, next.metadata.namespace ?? '', next.metadata.name ?? '', next));
    } catch (err) {
      if (!(isApiError(err) && err.code === 404)) throw err;
    }
  }
}
