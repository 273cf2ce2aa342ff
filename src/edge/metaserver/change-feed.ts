// The watch source: one subscription to the store's change feed (and to edged's local pod status),
// numbered with the metaserver's own resourceVersions and kept in a ring of recent changes so that
// a watch can resume from where its client left off.
//
// resourceVersions: one counter, seeded with the highest resourceVersion in the store at start. A
// store change gets max(counter + 1, the object's resourceVersion), a local pod status change
// counter + 1 (SQLite is not touched, the cloud's version stays in the object). Lists report the
// counter, which is the store's highest resourceVersion until a local status changes. Objects keep
// their own resourceVersion, which is never above their change's number: resuming from it may
// repeat events, never lose one. A resourceVersion below the ring, or above the counter (e.g. from
// before a restart), is answered with 410 Expired, and the client lists again.
import type { KubeObject } from '../../api/index.js';
import type { Logger } from '../../core/index.js';
import { ApiError } from './api-error.js';
import { newestVersion, numericVersion, readAll, toObject, withLocalStatus, type ReadContext } from './reads.js';
import type { ResourceInfo } from './resources.js';
import { selectablePaths, selectionSkeleton } from './selection.js';
import type { MetaStoreChange } from './types.js';

export interface FeedEntry {
  rv: bigint;
  resource: ResourceInfo;
  namespace: string | null;
  name: string;
  op: 'upsert' | 'delete';
  /** The object after the change (pods with local status), or as deleted. */
  object: KubeObject;
  /** What selectors could see before the change; undefined when the object was not there. */
  before: KubeObject | undefined;
}

export type FeedListener = (entry: FeedEntry) => void;

export interface FeedOptions extends ReadContext {
  resources: readonly ResourceInfo[];
  /** Ring size. */
  history: number;
  log: Logger;
}

export class ChangeFeed {
  #counter = 0n;
  /** Every change with rv > floor is in the ring. */
  #floor = 0n;
  readonly #ring: FeedEntry[] = [];
  readonly #skeletons = new Map<string, KubeObject>();
  readonly #listeners = new Map<string, Set<FeedListener>>();
  readonly #paths = new Map<string, string[]>();
  readonly #byType = new Map<string, ResourceInfo>();
  readonly #unsubscribe: (() => void)[] = [];
  #pending: (() => void)[] | undefined = [];

  constructor(private readonly opts: FeedOptions) {
    for (const r of opts.resources) {
      this.#byType.set(r.type, r);
      this.#paths.set(r.type, selectablePaths(r));
    }
  }

  /** Subscribes, then reads every served type once (skeletons and the counter's seed). */
  async start(): Promise<void> {
    this.#unsubscribe.push(this.opts.store.onChange((c) => this.#queue(() => this.#onStoreChange(c))));
    const local = this.opts.localPodStatus;
    if (local) this.#unsubscribe.push(local.onChange((ns, name) => this.#queue(() => this.#onLocalStatus(ns, name))));
    for (const r of this.opts.resources) {
      const objects = await readAll(this.opts, r, null);
      for (const o of objects) this.#skeletons.set(this.#key(r, o.metadata.namespace ?? null, o.metadata.name ?? ''), this.#skeleton(r, o));
      this.observe(newestVersion(objects));
    }
    this.#floor = this.#counter;
    const pending = this.#pending ?? [];
    this.#pending = undefined;
    for (const run of pending) run();
  }

  close(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#listeners.clear();
  }

  get resourceVersion(): bigint {
    return this.#counter;
  }

  /** A read saw this version: later resumes start from at least it. */
  observe(rv: bigint): void {
    if (rv > this.#counter) this.#counter = rv;
  }

  /**
   * Live changes of one resource type from now on; with `from`, first the ring's changes after it.
   * Throws ApiError Expired when `from` is outside what the ring holds.
   */
  subscribe(resource: ResourceInfo, from: bigint | undefined, listener: FeedListener): { backlog: FeedEntry[]; stop: () => void } {
    if (from !== undefined && (from < this.#floor || from > this.#counter)) {
      throw new ApiError('Expired', `too old resource version: ${from} (${this.#floor})`);
    }
    const backlog = from === undefined ? [] : this.#ring.filter((e) => e.rv > from && e.resource.type === resource.type);
    let set = this.#listeners.get(resource.type);
    if (!set) this.#listeners.set(resource.type, (set = new Set()));
    set.add(listener);
    return { backlog, stop: () => { set.delete(listener); } };
  }

  /** How many watchers listen (tests check that closed watches let go). */
  get listenerCount(): number {
    let n = 0;
    for (const s of this.#listeners.values()) n += s.size;
    return n;
  }

  #queue(run: () => void): void {
    if (this.#pending) this.#pending.push(run);
    else run();
  }

  #onStoreChange(c: MetaStoreChange): void {
    const resource = this.#byType.get(c.type);
    if (!resource) return;
    // A delete whose stored copy could not be read still removes the object for watchers.
    const parsed = toObject(c.object, resource) ??
      (c.op === 'delete' ? toObject({ metadata: { name: c.name, ...(c.namespace !== null ? { namespace: c.namespace } : {}) } }, resource) : undefined);
    if (!parsed) return;
    const ns = resource.namespaced ? (c.namespace ?? parsed.metadata.namespace ?? null) : null;
    const object = c.op === 'upsert' ? withLocalStatus(parsed, resource, this.opts.localPodStatus) : parsed;
    this.#record(resource, ns, c.name, c.op, object, numericVersion(parsed.metadata.resourceVersion));
  }

  #onLocalStatus(namespace: string, name: string): void {
    const resource = this.#byType.get('pod');
    if (!resource) return;
    const apply = (raw: unknown): void => {
      const pod = toObject(raw, resource);
      if (pod) this.#record(resource, namespace, name, 'upsert', withLocalStatus(pod, resource, this.opts.localPodStatus), undefined);
    };
    try {
      const raw = this.opts.store.get('pod', namespace, name);
      // A synchronous store (metamanager's) keeps events in the order they happened.
      if (raw instanceof Promise) raw.then(apply, (err: unknown) => this.#readFailed(err));
      else apply(raw);
    } catch (err) {
      this.#readFailed(err);
    }
  }

  #readFailed(err: unknown): void {
    this.opts.log.warn('pod read for a local status change failed', { error: err instanceof Error ? err.message : String(err) });
  }

  #record(resource: ResourceInfo, namespace: string | null, name: string, op: 'upsert' | 'delete', object: KubeObject, objectRv: bigint | undefined): void {
    const key = this.#key(resource, namespace, name);
    const before = this.#skeletons.get(key);
    if (op === 'delete') this.#skeletons.delete(key);
    else this.#skeletons.set(key, this.#skeleton(resource, object));
    const next = this.#counter + 1n;
    this.#counter = objectRv !== undefined && objectRv > next ? objectRv : next;
    const entry: FeedEntry = { rv: this.#counter, resource, namespace, name, op, object, before };
    this.#ring.push(entry);
    while (this.#ring.length > this.opts.history) this.#floor = this.#ring.shift()?.rv ?? this.#floor;
    for (const listener of [...(this.#listeners.get(resource.type) ?? [])]) {
      try {
        listener(entry);
      } catch (err) {
        this.opts.log.error('watch listener failed', { error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  #key(resource: ResourceInfo, namespace: string | null, name: string): string {
    return `${resource.type}/${resource.namespaced ? (namespace ?? '') : ''}/${name}`;
  }

  #skeleton(resource: ResourceInfo, obj: KubeObject): KubeObject {
    return selectionSkeleton(obj, this.#paths.get(resource.type) ?? []);
  }
}
