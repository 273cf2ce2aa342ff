// The secondary indexes of an informer cache: uid → key, owner uid → keys, node name → keys,
// namespace → keys. Kept in step with every cache change.
import type { KubeObject } from '../../api/index.js';

type MultiIndex = Map<string, Set<string>>;

function addTo(index: MultiIndex, value: string, key: string): void {
  let set = index.get(value);
  if (!set) { set = new Set(); index.set(value, set); }
  set.add(key);
}

function removeFrom(index: MultiIndex, value: string, key: string): void {
  const set = index.get(value);
  if (!set) return;
  set.delete(key);
  if (set.size === 0) index.delete(value);
}

function ownerUids(obj: KubeObject): string[] {
  return (obj.metadata.ownerReferences ?? []).map((r) => r.uid).filter((u): u is string => typeof u === 'string');
}

function nodeNameOf(obj: KubeObject): string | undefined {
  const spec = obj.spec as { nodeName?: unknown } | undefined;
  return typeof spec?.nodeName === 'string' && spec.nodeName !== '' ? spec.nodeName : undefined;
}

export class InformerIndexes {
  private readonly uids = new Map<string, string>();
  private readonly owners: MultiIndex = new Map();
  private readonly nodes: MultiIndex = new Map();
  private readonly namespaces: MultiIndex = new Map();

  update(key: string, old: KubeObject | undefined, obj: KubeObject | undefined): void {
    if (old) this.unindex(key, old);
    if (obj) this.index(key, obj);
  }

  keyOfUid(uid: string): string | undefined {
    return this.uids.get(uid);
  }

  keysOwnedBy(uid: string): Iterable<string> {
    return this.owners.get(uid) ?? [];
  }

  keysOnNode(node: string): Iterable<string> {
    return this.nodes.get(node) ?? [];
  }

  keysInNamespace(namespace: string): Iterable<string> {
    return this.namespaces.get(namespace) ?? [];
  }

  private index(key: string, obj: KubeObject): void {
    if (obj.metadata.uid) this.uids.set(obj.metadata.uid, key);
    for (const uid of ownerUids(obj)) addTo(this.owners, uid, key);
    const node = nodeNameOf(obj);
    if (node) addTo(this.nodes, node, key);
    addTo(this.namespaces, obj.metadata.namespace ?? '', key);
  }

  private unindex(key: string, obj: KubeObject): void {
    if (obj.metadata.uid && this.uids.get(obj.metadata.uid) === key) this.uids.delete(obj.metadata.uid);
    for (const uid of ownerUids(obj)) removeFrom(this.owners, uid, key);
    const node = nodeNameOf(obj);
    if (node) removeFrom(this.nodes, node, key);
    removeFrom(this.namespaces, obj.metadata.namespace ?? '', key);
  }
}
