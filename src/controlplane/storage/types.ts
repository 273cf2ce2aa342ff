// The storage contract of the embedded control plane. One global, monotonic resourceVersion across all
// resources (like etcd's revision). Writes are synchronous (better-sqlite3): when a call returns, the
// write is committed. Errors are ApiErrors (NotFound, AlreadyExists, Conflict, Gone).
import type { KubeObject } from '../../api/index.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  /** Storage resource, e.g. 'pods' or 'apps/deployments' (see registry storageResource). */
  resource: string;
  /** For DELETED: the last state of the object, with metadata.resourceVersion = the deletion's revision. */
  object: KubeObject;
  /** The revision of this event (= object.metadata.resourceVersion as a number). */
  revision: number;
}

export interface StoreListResult {
  items: KubeObject[];
  /** The store revision the list is consistent with. */
  revision: number;
}

export interface StoreWatchOptions {
  /** undefined or '' = all namespaces. */
  namespace?: string;
  /** Replay every event with revision > fromRevision, then stream live. Throws Gone (410) when
   *  fromRevision is older than the history kept. undefined = live events only. */
  fromRevision?: number;
}

export interface StorePrefilter {
  labels?: (labels: Record<string, string> | undefined) => boolean;
}

export interface Store {
  /** The newest committed revision (0 for an empty store). */
  revision(): number;
  /** The oldest revision a watch may start from (fromRevision >= this). */
  oldestWatchableRevision(): number;
  get(resource: string, namespace: string, name: string): KubeObject | undefined;
  /** namespace undefined = all namespaces. Items sorted by namespace then name. `prefilter.labels`
   *  drops objects by their labels before they are parsed (a label-selected list of 100 out of 10,000
   *  then parses 100 objects, not 10,000); callers still apply their full filter. */
  list(resource: string, namespace?: string, prefilter?: StorePrefilter): StoreListResult;
  /** Count of objects of a resource (cheap). */
  count(resource: string, namespace?: string): number;
  /** metadata.name (and namespace for namespaced kinds, '' otherwise) must be set; sets
   *  metadata.resourceVersion. Throws AlreadyExists. Returns the stored object. */
  create(resource: string, obj: KubeObject): KubeObject;
  /** Replaces the object. If expectedRevision is given and differs from the stored one: Conflict.
   *  Throws NotFound. Returns the stored object with its new resourceVersion. */
  update(resource: string, obj: KubeObject, expectedRevision?: number): KubeObject;
  /** Removes the object. Conflict on a stale expectedRevision, NotFound when missing. Returns the
   *  removed object carrying the deletion revision. */
  delete(resource: string, namespace: string, name: string, expectedRevision?: number): KubeObject;
  /** Several writes as one atomic transaction; events are delivered after commit. */
  transaction<T>(fn: () => T): T;
  /** Subscribe to events of one resource ('*' = all resources). Returns an unsubscribe function.
   *  The listener is called synchronously after each commit, in revision order. */
  watch(resource: string, options: StoreWatchOptions, listener: (event: StoreEvent) => void): () => void;
  close(): void;
}
