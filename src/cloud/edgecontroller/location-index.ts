// Where things are: the edge node names, the node of every bound pod, and for each configmap,
// secret, service account and claim the nodes whose pods reference it, with a count per node
// (KubeEdge's LocationCache, with reference counting so a node stops receiving an object once no
// pod on it uses it). Pure and synchronous: fed by informer handlers, read by downstream fan-out
// (one map lookup per configmap change, however many nodes) and by the node authorizer.
import type { KubeObject } from '../../api/index.js';
import { podNodeName, podReferences, type ReferenceKind } from './pod-references.js';

export interface RefChange {
  kind: ReferenceKind;
  namespace: string;
  name: string;
  node: string;
}

export interface PodEntry {
  node: string;
  uid: string;
  serviceAccount: string;
  refs: { kind: ReferenceKind; name: string }[];
}

const KINDS: readonly ReferenceKind[] = ['configmaps', 'secrets', 'serviceaccounts', 'persistentvolumeclaims'];

export const objectKeyOf = (namespace: string, name: string): string => `${namespace}/${name}`;

export class LocationIndex {
  private readonly edgeNodes = new Set<string>();
  private readonly pods = new Map<string, PodEntry>();
  private readonly podsByNode = new Map<string, Set<string>>();
  private readonly refs = new Map<ReferenceKind, Map<string, Map<string, number>>>(
    KINDS.map((k) => [k, new Map<string, Map<string, number>>()]),
  );

  addEdgeNode(node: string): boolean {
    if (this.edgeNodes.has(node)) return false;
    this.edgeNodes.add(node);
    return true;
  }

  removeEdgeNode(node: string): boolean {
    return this.edgeNodes.delete(node);
  }

  isEdgeNode(node: string): boolean {
    return this.edgeNodes.has(node);
  }

  edgeNodeNames(): string[] {
    return [...this.edgeNodes];
  }

  edgeNodeCount(): number {
    return this.edgeNodes.size;
  }

  /**
   * Records a pod (bound or not) and returns the references that a node gained or lost. A pod whose
   * node changes loses all references on the old node and gains them on the new one.
   */
  upsertPod(pod: KubeObject): { gained: RefChange[]; lost: RefChange[] } {
    const ns = pod.metadata.namespace ?? 'default';
    const key = objectKeyOf(ns, pod.metadata.name ?? '');
    const lost = this.dropPod(key, ns);
    const node = podNodeName(pod);
    if (node === '') return { gained: [], lost };
    const r = podReferences(pod);
    const refs = KINDS.flatMap((kind) => r[kind].map((name) => ({ kind, name })));
    this.pods.set(key, { node, uid: pod.metadata.uid ?? '', serviceAccount: r.serviceaccounts[0] ?? 'default', refs });
    let onNode = this.podsByNode.get(node);
    if (!onNode) this.podsByNode.set(node, (onNode = new Set()));
    onNode.add(key);
    const gained: RefChange[] = [];
    for (const { kind, name } of refs) {
      if (this.increment(kind, objectKeyOf(ns, name), node)) gained.push({ kind, namespace: ns, name, node });
    }
    // A reference both lost and regained (an unchanged pod) is no change for the node.
    const same = (a: RefChange, b: RefChange): boolean =>
      a.kind === b.kind && a.namespace === b.namespace && a.name === b.name && a.node === b.node;
    return {
      gained: gained.filter((g) => !lost.some((l) => same(l, g))),
      lost: lost.filter((l) => !gained.some((g) => same(l, g)) && !this.nodeReferences(l.node, l.kind, l.namespace, l.name)),
    };
  }

  /** Forgets a pod; returns the references its node lost. */
  removePod(namespace: string, name: string): RefChange[] {
    return this.dropPod(objectKeyOf(namespace, name), namespace);
  }

  pod(namespace: string, name: string): PodEntry | undefined {
    return this.pods.get(objectKeyOf(namespace, name));
  }

  /** Keys (`ns/name`) of the pods bound to `node`. */
  podsOnNode(node: string): string[] {
    return [...(this.podsByNode.get(node) ?? [])];
  }

  podCountOnNodes(nodes: Iterable<string>): number {
    let n = 0;
    for (const node of nodes) n += this.podsByNode.get(node)?.size ?? 0;
    return n;
  }

  /** Nodes (edge or not) with a pod referencing the object. */
  nodesReferencing(kind: ReferenceKind, namespace: string, name: string): string[] {
    return [...(this.refs.get(kind)?.get(objectKeyOf(namespace, name))?.keys() ?? [])];
  }

  nodeReferences(node: string, kind: ReferenceKind, namespace: string, name: string): boolean {
    return (this.refs.get(kind)?.get(objectKeyOf(namespace, name))?.get(node) ?? 0) > 0;
  }

  /** Every object the pods on `node` reference, deduplicated. */
  referencesOfNode(node: string): RefChange[] {
    const seen = new Map<string, RefChange>();
    for (const key of this.podsByNode.get(node) ?? []) {
      const entry = this.pods.get(key);
      const ns = key.slice(0, key.indexOf('/'));
      for (const { kind, name } of entry?.refs ?? []) seen.set(`${kind}/${ns}/${name}`, { kind, namespace: ns, name, node });
    }
    return [...seen.values()];
  }

  private dropPod(key: string, ns: string): RefChange[] {
    const old = this.pods.get(key);
    if (!old) return [];
    this.pods.delete(key);
    const onNode = this.podsByNode.get(old.node);
    onNode?.delete(key);
    if (onNode?.size === 0) this.podsByNode.delete(old.node);
    const lost: RefChange[] = [];
    for (const { kind, name } of old.refs) {
      if (this.decrement(kind, objectKeyOf(ns, name), old.node)) lost.push({ kind, namespace: ns, name, node: old.node });
    }
    return lost;
  }

  /** true when the node had no reference before. */
  private increment(kind: ReferenceKind, objKey: string, node: string): boolean {
    const byObj = this.refs.get(kind)!;
    let nodes = byObj.get(objKey);
    if (!nodes) byObj.set(objKey, (nodes = new Map()));
    const count = nodes.get(node) ?? 0;
    nodes.set(node, count + 1);
    return count === 0;
  }

  /** true when the node's last reference went away. */
  private decrement(kind: ReferenceKind, objKey: string, node: string): boolean {
    const byObj = this.refs.get(kind)!;
    const nodes = byObj.get(objKey);
    const count = nodes?.get(node) ?? 0;
    if (!nodes || count === 0) return false;
    if (count > 1) {
      nodes.set(node, count - 1);
      return false;
    }
    nodes.delete(node);
    if (nodes.size === 0) byObj.delete(objKey);
    return true;
  }
}
