// The one way cloudcore reaches Kubernetes: the Kubernetes API over HTTPS, whether the server is the
// embedded control plane or a real cluster (--kubeconfig). Controllers take this interface; the
// implementation (client.ts) loads credentials with @kubernetes/client-node's KubeConfig.
import type { KubeObject } from '../../api/index.js';

/** Where a resource lives in the API. group '' is the core group. */
export interface ResourceRef {
  group: string;
  version: string;
  /** Lowercase plural used in URLs, e.g. "pods", "objectsyncs". */
  plural: string;
  kind: string;
  namespaced: boolean;
}

export interface ListOptions {
  /** Omit for all namespaces (namespaced resources) or for cluster-scoped resources. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ObjectList {
  items: KubeObject[];
  /** The list's metadata.resourceVersion, to start a watch from. */
  resourceVersion: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

export interface WatchOptions extends ListOptions {
  resourceVersion: string;
  /** Server-side timeout; the watch ends cleanly after it. */
  timeoutSeconds?: number;
}

export type PatchType = 'merge' | 'strategic' | 'json';

export interface KubeClient {
  /** undefined when the object does not exist (404). */
  get(ref: ResourceRef, namespace: string | null, name: string): Promise<KubeObject | undefined>;
  list(ref: ResourceRef, opts?: ListOptions): Promise<ObjectList>;
  /**
   * Streams events to onEvent until the server ends the watch (resolves) or `signal` aborts
   * (resolves). Rejects with KubeError (status 410 when resourceVersion is too old) or a network error.
   */
  watch(ref: ResourceRef, opts: WatchOptions, onEvent: (ev: WatchEvent) => void, signal: AbortSignal): Promise<void>;
  create(ref: ResourceRef, obj: KubeObject): Promise<KubeObject>;
  /** PUT; 409 KubeError on a stale resourceVersion. */
  update(ref: ResourceRef, obj: KubeObject, subresource?: 'status'): Promise<KubeObject>;
  patch(
    ref: ResourceRef, namespace: string | null, name: string, body: unknown, type: PatchType, subresource?: 'status',
  ): Promise<KubeObject>;
  /** Resolves also when the object is already gone (404). */
  delete(ref: ResourceRef, namespace: string | null, name: string, opts?: { uid?: string; propagationPolicy?: string; gracePeriodSeconds?: number }): Promise<void>;
}

/** A non-2xx answer from the API server; `status` is the HTTP status, `reason` the Status reason. */
export class KubeError extends Error {
  override readonly name = 'KubeError';
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The resources cloudcore uses. */
export const Resources = {
  nodes: { group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false },
  pods: { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true },
  configmaps: { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true },
  secrets: { group: '', version: 'v1', plural: 'secrets', kind: 'Secret', namespaced: true },
  services: { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true },
  endpoints: { group: '', version: 'v1', plural: 'endpoints', kind: 'Endpoints', namespaced: true },
  events: { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true },
  namespaces: { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false },
  serviceaccounts: { group: '', version: 'v1', plural: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
  leases: { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease', namespaced: true },
  crds: { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false },
  objectsyncs: { group: 'reliablesyncs.kubeedge.io', version: 'v1alpha1', plural: 'objectsyncs', kind: 'ObjectSync', namespaced: true },
  clusterobjectsyncs: { group: 'reliablesyncs.kubeedge.io', version: 'v1alpha1', plural: 'clusterobjectsyncs', kind: 'ClusterObjectSync', namespaced: false },
  devices: { group: 'devices.kubeedge.io', version: 'v1beta1', plural: 'devices', kind: 'Device', namespaced: true },
  devicemodels: { group: 'devices.kubeedge.io', version: 'v1beta1', plural: 'devicemodels', kind: 'DeviceModel', namespaced: true },
} as const satisfies Record<string, ResourceRef>;
