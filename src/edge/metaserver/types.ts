// The metaserver's surface: what it reads (the edge store, edged's local pod status) and what it
// returns to its starter.
import type { Logger } from '../../core/index.js';
import type { EdgeHubPort } from '../edgehub/index.js';

/** One committed change of a stored object, as metamanager reports it after the commit. */
export interface MetaStoreChange {
  op: 'upsert' | 'delete';
  /** KubeEdge resource type: pod, configmap, secret, service, endpoints, node, device, devicemodel, ... */
  type: string;
  /** null for cluster-scoped objects (namespace "null" on the wire). */
  namespace: string | null;
  name: string;
  /** The object as stored (upsert) or as last known / as the delete carried it (delete). */
  object: Record<string, unknown>;
}

/**
 * Read access to the objects metamanager persisted (table `meta`), by KubeEdge resource type
 * (pod, configmap, secret, service, endpoints, node, device, devicemodel). Structural: metamanager's
 * MetaManager fits as is. Values may be objects or their JSON text, returned directly or as a
 * promise. Cluster-scoped objects live in namespace "null"; list() without a namespace lists every
 * namespace. onChange feeds watches; it returns the unsubscribe function.
 */
export interface MetaStoreReader {
  get(type: string, namespace: string, name: string): unknown;
  list(type: string, namespace?: string): unknown;
  onChange(listener: (change: MetaStoreChange) => void): () => void;
}

/**
 * The pod status the node itself observed (edged), newer than the cloud's copy in the store while
 * the cloud is away. get() answers a v1 PodStatus (or part of one) or undefined when edged has
 * nothing for that pod; onChange says which pod's local status changed.
 */
export interface LocalPodStatusSource {
  get(namespace: string, name: string): Record<string, unknown> | undefined;
  onChange(listener: (namespace: string, name: string) => void): () => void;
}

export interface MetaServerOptions {
  /** Loopback only (127.0.0.0/8, ::1, localhost): the API answers without authentication. Default 127.0.0.1. */
  host?: string;
  /** Default 10550 (KubeEdge's metaServer.server); 0 picks a free port. */
  port?: number;
  store: MetaStoreReader;
  hub: Pick<EdgeHubPort, 'enqueue'>;
  nodeName: string;
  log: Logger;
  /** Request body limit in bytes; default 1 MiB. */
  maxBodyBytes?: number;
  /** Overlays pod status on GET, LIST and WATCH of pods; a change there is a MODIFIED event. */
  localPodStatus?: LocalPodStatusSource;
  /** How many recent changes a watch can resume from (older resourceVersions get 410 Gone); default 1024. */
  watchHistory?: number;
  /** Interval of BOOKMARK events for watches that allow them; default 60 s (kube-apiserver's ~1 min). */
  bookmarkIntervalMs?: number;
}

export interface MetaServer {
  /** The bound port. */
  readonly port: number;
  /** Watch streams open now (each holds one change-feed listener until it ends). */
  readonly openWatches: number;
  close(): Promise<void>;
}
