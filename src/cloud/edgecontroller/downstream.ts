// Downstream: informer events → messages to the nodes that need them (KubeEdge's
// DownstreamController.syncPod/syncConfigMap/syncSecret/syncEdgeNodes, plus services and endpoints
// as older KubeEdge sent them for edgemesh). Each handler is synchronous; fan-out uses the
// LocationIndex so one configmap change costs one lookup plus one queue push per node.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../api/index.js';
import type { DownstreamSender } from './downstream-send.js';
import type { LocationIndex, RefChange } from './location-index.js';
import { podNodeName } from './pod-references.js';
import { ReleaseQueue } from './release-queue.js';
import { EDGE_NODE_LABEL, type CacheInformer, type InformedResource } from './types.js';

export interface DownstreamConfig {
  sendServices: boolean;
  releaseDelayMs: number;
}

/** Wire type and the ADDED operation of each pushed reference kind (KubeEdge sends secrets as update). */
const PUSHED: Readonly<Partial<Record<RefChange['kind'], { type: string; added: 'insert' | 'update' }>>> = {
  configmaps: { type: 'configmap', added: 'insert' },
  secrets: { type: 'secret', added: 'update' },
};

const isEdge = (node: KubeObject): boolean => node.metadata.labels?.[EDGE_NODE_LABEL] !== undefined;
const nsOf = (obj: KubeObject): string => obj.metadata.namespace ?? 'default';

/** Metadata and spec changed (KubeEdge's isPodUpdated: status-only updates are not sent). */
export function metaOrSpecChanged(oldObj: KubeObject, newObj: KubeObject): boolean {
  const strip = (o: KubeObject): unknown => {
    const { resourceVersion: _rv, generation: _g, managedFields: _m, ...meta } = o.metadata;
    return { meta, spec: o['spec'] };
  };
  return !isDeepStrictEqual(strip(oldObj), strip(newObj));
}

export class Downstream {
  readonly releases: ReleaseQueue;

  constructor(
    private readonly index: LocationIndex,
    private readonly sender: DownstreamSender,
    private readonly cache: (r: InformedResource) => CacheInformer | undefined,
    private readonly config: DownstreamConfig,
    now: () => number,
  ) {
    this.releases = new ReleaseQueue(now, config.releaseDelayMs);
  }

  // ---- nodes (informer filtered by the edge label) ----

  nodeAdded(node: KubeObject): void {
    if (!isEdge(node)) return;
    const name = node.metadata.name ?? '';
    const fresh = this.index.addEdgeNode(name);
    this.sender.send({ node: name, operation: 'update', type: 'node', obj: node, skipIfAcked: true });
    if (fresh) this.bootstrapNode(name);
  }

  nodeUpdated(oldNode: KubeObject, newNode: KubeObject): void {
    if (!isEdge(newNode)) return this.nodeDeleted(newNode);
    if (!this.index.isEdgeNode(newNode.metadata.name ?? '')) return this.nodeAdded(newNode);
    // Node status comes from the edge itself; only label/annotation/spec changes are news to it.
    if (!metaOrSpecChanged(oldNode, newNode)) return;
    this.sender.send({ node: newNode.metadata.name ?? '', operation: 'update', type: 'node', obj: newNode });
  }

  nodeDeleted(node: KubeObject): void {
    const name = node.metadata.name ?? '';
    if (!this.index.removeEdgeNode(name)) return;
    this.releases.forgetNode(name);
    this.sender.send({ node: name, operation: 'delete', type: 'node', obj: node });
  }

  /** A node that just became an edge node gets what its pods need, its pods, and the services. */
  private bootstrapNode(node: string): void {
    for (const ref of this.index.referencesOfNode(node)) this.pushReference(ref);
    const pods = this.cache('pods');
    for (const key of this.index.podsOnNode(node)) {
      const [ns, name] = key.split('/') as [string, string];
      const pod = pods?.get(ns, name);
      if (pod) this.sender.send({ node, operation: pod.metadata.deletionTimestamp ? 'update' : 'insert', type: 'pod', obj: pod, skipIfAcked: true });
    }
    if (!this.config.sendServices) return;
    for (const [resource, type] of [['services', 'service'], ['endpoints', 'endpoints']] as const) {
      for (const obj of this.cache(resource)?.list() ?? []) {
        this.sender.send({ node, operation: 'insert', type, obj, skipIfAcked: true });
      }
    }
  }

  // ---- pods ----

  podAdded(pod: KubeObject): void {
    const { gained, lost } = this.index.upsertPod(pod);
    this.applyGained(gained);
    const node = podNodeName(pod);
    if (this.index.isEdgeNode(node)) {
      // KubeEdge's PodManager turns an ADDED pod that is already terminating into an update.
      const operation = pod.metadata.deletionTimestamp ? 'update' : 'insert';
      this.sender.send({ node, operation, type: 'pod', obj: pod, skipIfAcked: true });
    }
    this.applyLost(lost);
  }

  podUpdated(oldPod: KubeObject, newPod: KubeObject): void {
    const { gained, lost } = this.index.upsertPod(newPod);
    this.applyGained(gained);
    const oldNode = podNodeName(oldPod);
    const node = podNodeName(newPod);
    if (oldNode !== node) {
      // Binding (''→node) is an insert for the node; a changed nodeName cannot happen in Kubernetes.
      if (this.index.isEdgeNode(oldNode)) this.sender.send({ node: oldNode, operation: 'delete', type: 'pod', obj: oldPod });
      if (this.index.isEdgeNode(node)) this.sender.send({ node, operation: 'insert', type: 'pod', obj: newPod });
    } else if (this.index.isEdgeNode(node) && metaOrSpecChanged(oldPod, newPod)) {
      // Includes the deletionTimestamp being set: the edge stops the pod, then deletes it upstream.
      this.sender.send({ node, operation: 'update', type: 'pod', obj: newPod });
    }
    this.applyLost(lost);
  }

  podDeleted(pod: KubeObject): void {
    const lost = this.index.removePod(nsOf(pod), pod.metadata.name ?? '');
    const node = podNodeName(pod);
    if (this.index.isEdgeNode(node)) this.sender.send({ node, operation: 'delete', type: 'pod', obj: pod });
    this.applyLost(lost);
  }

  /** Send a delete to the node for a pod the edge reported but the API does not have (KubeEdge). */
  deleteVanishedPod(node: string, namespace: string, name: string, uid?: string): void {
    const obj: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name, ...(uid ? { uid } : {}) } };
    this.sender.send({ node, operation: 'delete', type: 'pod', obj });
  }

  // ---- configmaps and secrets: only to nodes whose pods reference them ----

  referencedAdded(kind: 'configmaps' | 'secrets', obj: KubeObject): void {
    const push = PUSHED[kind]!;
    this.sender.fanOut(this.edgeNodesReferencing(kind, obj), { operation: push.added, type: push.type, obj, skipIfAcked: true });
  }

  referencedUpdated(kind: 'configmaps' | 'secrets', oldObj: KubeObject, obj: KubeObject): void {
    if (oldObj.metadata.resourceVersion === obj.metadata.resourceVersion) return; // informer resync
    this.sender.fanOut(this.edgeNodesReferencing(kind, obj), { operation: 'update', type: PUSHED[kind]!.type, obj });
  }

  referencedDeleted(kind: 'configmaps' | 'secrets', obj: KubeObject): void {
    this.sender.fanOut(this.edgeNodesReferencing(kind, obj), { operation: 'delete', type: PUSHED[kind]!.type, obj });
  }

  private edgeNodesReferencing(kind: RefChange['kind'], obj: KubeObject): string[] {
    return this.index.nodesReferencing(kind, nsOf(obj), obj.metadata.name ?? '').filter((n) => this.index.isEdgeNode(n));
  }

  // ---- services and endpoints: to every edge node ----

  broadcast(type: 'service' | 'endpoints', operation: 'insert' | 'update' | 'delete', obj: KubeObject, old?: KubeObject): void {
    if (!this.config.sendServices) return;
    if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) return;
    this.sender.fanOut(this.index.edgeNodeNames(), { operation, type, obj, skipIfAcked: operation === 'insert' });
  }

  // ---- reference bookkeeping ----

  private applyGained(gained: RefChange[]): void {
    for (const ref of gained) {
      if (!this.index.isEdgeNode(ref.node)) continue;
      // Re-referenced before the release fired: the node still has it, no delete and no resend needed
      // beyond the acked-version check.
      this.releases.cancel(ref);
      this.pushReference(ref);
    }
  }

  private pushReference(ref: RefChange): void {
    const push = PUSHED[ref.kind];
    if (!push) return; // service accounts and claims are fetched by query, not pushed
    const obj = this.cache(ref.kind as InformedResource)?.get(ref.namespace, ref.name);
    if (obj) this.sender.send({ node: ref.node, operation: push.added, type: push.type, obj, skipIfAcked: true });
  }

  private applyLost(lost: RefChange[]): void {
    if (this.config.releaseDelayMs <= 0) return;
    for (const ref of lost) if (PUSHED[ref.kind] && this.index.isEdgeNode(ref.node)) this.releases.schedule(ref);
  }

  /** Sends deletes for references released long enough ago and still unused. */
  sweepReleased(): number {
    let sent = 0;
    for (const ref of this.releases.due()) {
      if (!this.index.isEdgeNode(ref.node) || this.index.nodeReferences(ref.node, ref.kind, ref.namespace, ref.name)) continue;
      const obj = this.cache(ref.kind as InformedResource)?.get(ref.namespace, ref.name) ??
        { metadata: { namespace: ref.namespace, name: ref.name } };
      this.sender.send({ node: ref.node, operation: 'delete', type: PUSHED[ref.kind]!.type, obj });
      sent++;
    }
    return sent;
  }
}
