// The object API: Kubernetes REST semantics over the store (admission of names, uid, generation,
// optimistic concurrency, finalizers, graceful deletion, status/scale subresources, patches, selectors).
// The HTTP server and the in-process controllers both go through it, so they see the same rules.
import type { KubeList, KubeObject, Status } from '../../api/index.js';
import type { ResourceDef } from '../registry/types.js';

/** Who is asking. Set by the HTTP layer from a bearer token or client certificate. */
export interface UserInfo {
  username: string;
  groups: string[];
}

export interface RequestContext {
  user?: UserInfo;
  /** ?dryRun=All: validate and answer, but store nothing. */
  dryRun?: boolean;
  fieldManager?: string;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; 0/undefined = all. A `continue` token is returned when more remain. */
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** '' or undefined: start with synthetic ADDED events for every current object, then live.
   *  '0': same as undefined. Otherwise: replay from that revision (410 when too old). */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  /** sendInitialEvents=true (WatchList): synthetic ADDED events, then a BOOKMARK marked
   *  k8s.io/initial-events-end. */
  sendInitialEvents?: boolean;
}

export type WatchEventKind = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface ApiWatchEvent {
  type: WatchEventKind;
  /** For ERROR: a Status. For BOOKMARK: an object with only apiVersion, kind and metadata.resourceVersion (+annotations). */
  object: KubeObject | Status;
}

export interface ApiWatch {
  stop(): void;
}

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export type PatchType = 'strategic' | 'merge' | 'json' | 'apply';

export const patchContentTypes: Record<string, PatchType> = {
  'application/strategic-merge-patch+json': 'strategic',
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

/** 'finalize': namespaces/<name>/finalize, an update of spec.finalizers only (the namespace controller's
 *  last step; the namespace is removed when it empties them). */
export type Subresource = 'status' | 'scale' | 'finalize';

export interface PatchOptions extends RequestContext {
  force?: boolean;
}

/** A resource as callers name it: by group and plural. The version only changes apiVersion in answers. */
export interface ResourceRef {
  group: string;
  resource: string;
  version?: string;
}

export interface ObjectAPI {
  /** Resolve a resource; throws NotFound (as a 404 Status) for unknown ones. */
  def(ref: ResourceRef): ResourceDef;
  get(ref: ResourceRef, namespace: string, name: string, subresource?: Subresource): KubeObject;
  list(ref: ResourceRef, options?: ListOptions): KubeList;
  /** Events are delivered in order. The watch ends (with an ERROR event first when the cause is an
   *  error) when stop() is called. Throws Gone synchronously when resourceVersion is too old. */
  watch(ref: ResourceRef, options: WatchOptions, onEvent: (event: ApiWatchEvent) => void): ApiWatch;
  create(ref: ResourceRef, namespace: string, obj: KubeObject, ctx?: RequestContext): KubeObject;
  /** PUT. For 'status' only .status changes; for 'scale' the body is an autoscaling/v1 Scale. */
  update(ref: ResourceRef, namespace: string, name: string, obj: KubeObject, ctx?: RequestContext, subresource?: Subresource): KubeObject;
  patch(ref: ResourceRef, namespace: string, name: string, type: PatchType, patch: unknown, options?: PatchOptions, subresource?: Subresource): KubeObject;
  /** Returns the object (still present with deletionTimestamp when finalizers or graceful deletion
   *  hold it, or its last state when removed). */
  delete(ref: ResourceRef, namespace: string, name: string, options?: DeleteOptions, ctx?: RequestContext): KubeObject;
  deleteCollection(ref: ResourceRef, options: ListOptions & DeleteOptions, ctx?: RequestContext): KubeList;
  /** POST pods/<name>/binding: sets spec.nodeName once (409 when already bound). Returns a Success Status. */
  bind(namespace: string, podName: string, binding: KubeObject, ctx?: RequestContext): Status;
}
