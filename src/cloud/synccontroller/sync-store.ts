// The ObjectSyncs and ClusterObjectSyncs cloudcore knows, by name, with an index per node. Fed by the
// informers and by our own writes (so an ack is visible to ackedVersion before its watch event);
// the copy with the newer metadata.resourceVersion wins, so a late watch event cannot undo a write.
import type { KubeObject } from '../../api/index.js';
import { compareResourceVersion, nodeOfSync } from './names.js';

export interface SyncSpec {
  objectAPIVersion?: string;
  objectKind?: string;
  objectName?: string;
}

export function specOf(obj: KubeObject): SyncSpec {
  return (obj['spec'] ?? {}) as SyncSpec;
}

/** The acked resourceVersion, '' when none was recorded. */
export function ackedOf(obj: KubeObject): string {
  return ((obj['status'] ?? {}) as { objectResourceVersion?: string }).objectResourceVersion ?? '';
}

export class SyncStore {
  private readonly byName = new Map<string, KubeObject>();
  private readonly byNode = new Map<string, Set<string>>();

  get(name: string): KubeObject | undefined {
    return this.byName.get(name);
  }

  /** Names of the node's syncs. */
  namesOf(node: string): string[] {
    return [...(this.byNode.get(node) ?? [])];
  }

  nodes(): string[] {
    return [...this.byNode.keys()];
  }

  observe(obj: KubeObject): void {
    const name = obj.metadata.name ?? '';
    const held = this.byName.get(name);
    if (held && compareResourceVersion(held.metadata.resourceVersion ?? '0', obj.metadata.resourceVersion ?? '0') > 0) return;
    this.byName.set(name, obj);
    const node = nodeOfSync(name);
    let set = this.byNode.get(node);
    if (!set) { set = new Set(); this.byNode.set(node, set); }
    set.add(name);
  }

  /** Forgets `name`, unless we hold a copy newer than the deleted one (it was created again). */
  observeDeleted(obj: KubeObject): void {
    const name = obj.metadata.name ?? '';
    const held = this.byName.get(name);
    if (!held) return;
    if (obj.metadata.resourceVersion && compareResourceVersion(held.metadata.resourceVersion ?? '0', obj.metadata.resourceVersion) > 0) return;
    this.forget(name);
  }

  forget(name: string): void {
    this.byName.delete(name);
    const node = nodeOfSync(name);
    const set = this.byNode.get(node);
    set?.delete(name);
    if (set?.size === 0) this.byNode.delete(node);
  }
}
