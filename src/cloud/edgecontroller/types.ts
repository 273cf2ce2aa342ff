// What edgecontroller needs from its neighbours, as the smallest structural interfaces, and its options.
// The hub shape is structurally the CloudHubSender of cloudhub/types.ts: edgecontroller takes the
// narrow interface so tests pass a recording hub and cloudhub need not be built first.
import type { KubeObject } from '../../api/index.js';
import type { Logger, Message } from '../../core/index.js';
import type { KubeClient } from '../kube/index.js';

/** Label that makes a Node an edge node (KubeEdge's EdgeNodeRoleKey, value ""). */
export const EDGE_NODE_LABEL = 'node-role.kubernetes.io/edge';
/** Namespace of node leases (coordination.k8s.io Lease named after the node). */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** route.source of everything edgecontroller sends (KubeEdge's EdgeControllerModuleName). */
export const EDGECONTROLLER_SOURCE = 'edgecontroller';

/** Downstream options, structurally cloudhub's DownstreamOptions. */
export interface HubSendOptions {
  reliable: boolean;
  objectUID?: string;
}

/** The part of cloudhub edgecontroller uses (structurally cloudhub's CloudHubSender). */
export interface EdgeHubSender {
  send(node: string, msg: Message, opts: HubSendOptions): void;
  isConnected(node: string): boolean;
  connectedNodes(): string[];
}

/** What synccontroller knows: the resourceVersion a node has acked for an object. */
export interface SyncLookup {
  ackedVersion(node: string, uid: string): string | undefined;
  trackSent?(node: string, msg: Message, uid: string): void;
}

/** Event handlers of an informer (list+watch with a cache). */
export interface CacheHandlers {
  add?(obj: KubeObject): void;
  update?(oldObj: KubeObject, newObj: KubeObject): void;
  delete?(obj: KubeObject): void;
}

/** The informer surface edgecontroller uses; kube's Informer satisfies it. */
export interface CacheInformer {
  addHandlers(h: CacheHandlers): void;
  start(): void;
  stop(): void;
  /** Resolves (true) once the first list is cached; false when stopped or `signal` aborts. */
  waitForSync(signal?: AbortSignal): Promise<boolean>;
  list(): KubeObject[];
  get(namespace: string | null, name: string): KubeObject | undefined;
}

export interface EdgeControllerOptions {
  /** Send services and endpoints to every edge node (KubeEdge did for edgemesh). Default true. */
  sendServices?: boolean;
  /**
   * When no pod on a node references a configmap/secret any more, send the node a delete for it
   * after this many ms (unless a pod references it again meanwhile). 0 disables. Default 60000.
   */
  releaseDelayMs?: number;
}

export interface EdgeControllerDeps {
  kube: KubeClient;
  hub: EdgeHubSender;
  sync: SyncLookup;
  log: Logger;
  /** Milliseconds since the epoch; injected for tests. */
  now?: () => number;
  /**
   * Builds the informers (default: kube's Informer). Tests may inject their own. `resource` is a
   * key of Resources; `labelSelector` is set for nodes.
   */
  informerFactory?: (spec: { resource: InformedResource; labelSelector?: string }) => CacheInformer;
  options?: EdgeControllerOptions;
}

/** The resources edgecontroller informs on. */
export type InformedResource = 'nodes' | 'pods' | 'configmaps' | 'secrets' | 'services' | 'endpoints';

/** Counters and gauges for /metrics. */
export interface EdgeControllerMetrics {
  edge_nodes: number;
  pods_on_edge: number;
  downstream_sent_total: number;
  downstream_skipped_acked_total: number;
  upstream_total: number;
  upstream_failed_total: number;
  denied_total: number;
  unknown_total: number;
  lease_renewals_total: number;
  lease_renewal_failures_total: number;
}
