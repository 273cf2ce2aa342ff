// The metaserver's surface: what it reads (the edge store) and what it returns to its starter.
import type { Logger } from '../../core/index.js';
import type { EdgeHubPort } from '../edgehub/index.js';

/**
 * Read access to the objects metamanager persisted (table `meta`), by KubeEdge resource type
 * (pod, configmap, secret, service, endpoints, node). Structural: metamanager's store fits as is.
 * Values may be objects or their JSON text, returned directly or as a promise. Cluster-scoped objects
 * live in namespace "null"; list() without a namespace lists every namespace.
 */
export interface MetaStoreReader {
  get(type: string, namespace: string, name: string): unknown;
  list(type: string, namespace?: string): unknown;
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
}

export interface MetaServer {
  /** The bound port. */
  readonly port: number;
  close(): Promise<void>;
}
