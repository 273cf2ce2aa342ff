// Writes what an edge acked into ObjectSync (namespaced objects, in the object's namespace) or
// ClusterObjectSync (cluster-scoped objects), as KubeEdge's cloudhub does on an ack
// (saveSuccessPoint): create the sync when missing with spec {objectAPIVersion, objectKind,
// objectName}, then write status.objectResourceVersion through the status subresource; an acked
// delete removes the sync. Unlike KubeEdge, the version never moves backwards: the status PUT carries
// the sync's resourceVersion and a conflict re-reads and compares again. Writes for one sync run in
// order, one at a time.
import type { KubeObject } from '../../api/index.js';
import type { Logger } from '../../core/index.js';
import { KubeError, Resources, type KubeClient, type ResourceRef } from '../kube/index.js';
import { ackedOf, type SyncStore } from './sync-store.js';
import { compareResourceVersion } from './names.js';

export interface AckTarget {
  /** The sync's name, <node>.<uid>. */
  name: string;
  /** The object's namespace; null for cluster-scoped objects. */
  namespace: string | null;
  apiVersion: string;
  kind: string;
  objectName: string;
  resourceVersion: string;
}

const maxAttempts = 4;

export class AckWriter {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly kube: KubeClient, private readonly store: SyncStore, private readonly log: Logger) {}

  /** Records an acked insert/update. Never rejects; failures are logged. */
  recordVersion(t: AckTarget): Promise<void> {
    return this.serial(t.name, () => this.writeVersion(t));
  }

  /** Removes the sync after an acked delete. Never rejects. */
  remove(name: string, namespace: string | null): Promise<void> {
    return this.serial(name, async () => {
      await this.kube.delete(refOf(namespace), namespace, name);
      this.store.forget(name);
    });
  }

  private serial(name: string, fn: () => Promise<void>): Promise<void> {
    const prev = this.chains.get(name) ?? Promise.resolve();
    const next = prev.then(fn).catch((err: unknown) => {
      this.log.warn('object sync write failed', { name, error: (err as Error).message });
    });
    this.chains.set(name, next);
    void next.then(() => { if (this.chains.get(name) === next) this.chains.delete(name); });
    return next;
  }

  private async writeVersion(t: AckTarget): Promise<void> {
    const ref = refOf(t.namespace);
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const cur = this.store.get(t.name) ?? await this.read(ref, t) ?? await this.create(ref, t);
      const acked = ackedOf(cur);
      if (acked !== '' && compareResourceVersion(t.resourceVersion, acked) <= 0) return;
      try {
        const updated = await this.kube.update(ref, { ...cur, status: { objectResourceVersion: t.resourceVersion } }, 'status');
        this.store.observe(updated);
        return;
      } catch (err) {
        if (!(err instanceof KubeError) || (err.status !== 409 && err.status !== 404)) throw err;
        // Our copy was stale or is gone: read again (or create) and compare again.
        this.store.forget(t.name);
      }
    }
    throw new Error(`gave up after ${maxAttempts} conflicting writes`);
  }

  private async read(ref: ResourceRef, t: AckTarget): Promise<KubeObject | undefined> {
    const obj = await this.kube.get(ref, t.namespace, t.name);
    if (obj) this.store.observe(obj);
    return obj;
  }

  private async create(ref: ResourceRef, t: AckTarget): Promise<KubeObject> {
    const obj: KubeObject = {
      apiVersion: `${ref.group}/${ref.version}`,
      kind: ref.kind,
      metadata: { name: t.name, ...(t.namespace ? { namespace: t.namespace } : {}) },
      spec: { objectAPIVersion: t.apiVersion, objectKind: t.kind, objectName: t.objectName },
    };
    try {
      const created = await this.kube.create(ref, obj);
      this.store.observe(created);
      return created;
    } catch (err) {
      if (!(err instanceof KubeError) || err.status !== 409) throw err;
      const existing = await this.read(ref, t);
      if (!existing) throw err;
      return existing;
    }
  }
}

export function refOf(namespace: string | null): ResourceRef {
  return namespace === null ? Resources.clusterobjectsyncs : Resources.objectsyncs;
}
