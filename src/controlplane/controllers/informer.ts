// An informer: list, then watch from the list's resourceVersion, into an in-memory cache with indexes
// (by uid, owner uid, node name, namespace) and event handlers. On a watch error (410 Gone or any ERROR
// event) it lists again and replays the difference, like client-go's reflector.
//
// Writes a controller makes can be applied to the cache at once (observe / observeDeleted): the object
// API may deliver watch events later than the write returns, and counting from a stale cache would
// create or delete pods twice. resourceVersions are the store's global revision, so the newer copy wins.
import type { KubeObject } from '../../api/index.js';
import type { ApiWatch, ApiWatchEvent, ObjectAPI, ResourceRef } from '../objects/index.js';
import { InformerIndexes } from './informer-indexes.js';
import type { Logger } from './types.js';

export interface InformerHandlers {
  add?(obj: KubeObject): void;
  update?(oldObj: KubeObject, newObj: KubeObject): void;
  delete?(obj: KubeObject): void;
}

export interface InformerOptions {
  api: ObjectAPI;
  ref: ResourceRef;
  log: Logger;
  /** Only this namespace (default: all). */
  namespace?: string;
  /** Delay before listing again after an error (default 100 ms, doubling up to 10 s). */
  relistDelayMs?: number;
}

/** The cache key client-go uses: "namespace/name", or "name" for cluster-scoped objects. */
export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata.namespace ?? '';
  return ns ? `${ns}/${obj.metadata.name ?? ''}` : obj.metadata.name ?? '';
}

export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** The numeric revision of an object, or NaN when it has none. */
export function revisionOf(obj: KubeObject): number {
  const rv = obj.metadata.resourceVersion;
  return rv === undefined || rv === '' ? Number.NaN : Number(rv);
}

/** Removals remembered per informer; old enough entries cannot matter any more. */
const maxTombstones = 4096;

export class Informer {
  readonly ref: ResourceRef;
  readonly synced: Promise<void>;
  private readonly opts: InformerOptions;
  private readonly cache = new Map<string, KubeObject>();
  private readonly indexes = new InformerIndexes();
  private readonly tombstones = new Map<string, number>();
  private readonly handlers: InformerHandlers[] = [];
  private markSynced: () => void = () => undefined;
  private isSynced = false;
  private watch: ApiWatch | undefined;
  private generation = 0;
  private failures = 0;
  private signal: AbortSignal | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stoppedAlone = false;

  constructor(options: InformerOptions) {
    this.opts = options;
    this.ref = options.ref;
    this.synced = new Promise((resolve) => { this.markSynced = resolve; });
  }

  /** Registers handlers; when the cache already holds objects they are replayed as adds. */
  addHandlers(h: InformerHandlers): void {
    this.handlers.push(h);
    if (this.isSynced && h.add) for (const obj of this.cache.values()) this.call(() => h.add?.(obj));
  }

  start(signal: AbortSignal): void {
    if (this.signal) return;
    this.signal = signal;
    signal.addEventListener('abort', () => this.shutDown(), { once: true });
    if (!signal.aborted) this.listAndWatch();
  }

  /** Stops this informer alone (a custom resource whose CRD went away). */
  stop(): void {
    this.shutDown();
    this.stoppedAlone = true;
  }

  hasSynced(): boolean {
    return this.isSynced;
  }

  get(namespace: string, name: string): KubeObject | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  getByKey(key: string): KubeObject | undefined {
    return this.cache.get(key);
  }

  getByUid(uid: string): KubeObject | undefined {
    const key = this.indexes.keyOfUid(uid);
    return key === undefined ? undefined : this.cache.get(key);
  }

  /** All cached objects, or those of one namespace. */
  list(namespace?: string): KubeObject[] {
    if (namespace === undefined) return [...this.cache.values()];
    return this.fromKeys(this.indexes.keysInNamespace(namespace));
  }

  /** Objects with an ownerReference to this uid (controller or not). */
  byOwner(uid: string): KubeObject[] {
    return this.fromKeys(this.indexes.keysOwnedBy(uid));
  }

  /** Objects whose spec.nodeName is this node (pods). */
  byNode(nodeName: string): KubeObject[] {
    return this.fromKeys(this.indexes.keysOnNode(nodeName));
  }

  keys(): string[] {
    return [...this.cache.keys()];
  }

  /** Applies the answer of our own create/update/patch when it is newer than the cached copy. */
  observe(obj: KubeObject): void {
    this.upsert(obj, false);
  }

  /** Applies the answer of our own delete: still present (terminating) or gone. */
  observeDeleted(obj: KubeObject): void {
    if (obj.metadata.deletionTimestamp) { this.upsert(obj, false); return; }
    const key = objectKey(obj);
    this.bury(key, revisionOf(obj));
    this.remove(key);
  }

  private fromKeys(keys: Iterable<string>): KubeObject[] {
    const out: KubeObject[] = [];
    for (const k of keys) {
      const o = this.cache.get(k);
      if (o) out.push(o);
    }
    return out;
  }

  private listAndWatch(): void {
    const gen = ++this.generation;
    const { api, ref, namespace } = this.opts;
    try {
      const list = api.list(ref, namespace ? { namespace } : {});
      this.replace(list.items.map((o) => withKind(o, list.apiVersion, list.kind)));
      const resourceVersion = list.metadata.resourceVersion ?? '';
      this.watch = api.watch(ref, { ...(namespace ? { namespace } : {}), resourceVersion, allowWatchBookmarks: true },
        (ev) => { if (gen === this.generation) this.onEvent(ev); });
      this.failures = 0;
      if (!this.isSynced) { this.isSynced = true; this.markSynced(); }
    } catch (err) {
      this.opts.log.warn('list/watch failed, retrying', { resource: ref.resource, err: errorText(err) });
      this.retry();
    }
  }

  private retry(): void {
    this.watch?.stop();
    this.watch = undefined;
    this.generation++;
    if (this.signal?.aborted || this.stoppedAlone || this.retryTimer) return;
    const base = this.opts.relistDelayMs ?? 100;
    const delay = Math.min(base * 2 ** Math.min(this.failures++, 10), 10_000);
    this.retryTimer = setTimeout(() => { this.retryTimer = undefined; this.listAndWatch(); }, delay);
    this.retryTimer.unref?.();
  }

  private onEvent(ev: ApiWatchEvent): void {
    if (ev.type === 'ERROR') {
      this.opts.log.debug('watch ended, listing again', { resource: this.ref.resource, status: ev.object });
      this.retry();
      return;
    }
    if (ev.type === 'BOOKMARK') return;
    const obj = ev.object as KubeObject;
    if (ev.type === 'DELETED') {
      const key = objectKey(obj);
      const cached = this.cache.get(key);
      if (cached && revisionOf(obj) < revisionOf(cached)) return;
      this.bury(key, revisionOf(obj));
      this.remove(key);
      return;
    }
    this.upsert(obj, false);
  }

  /** A relist is authoritative: it replaces the cache and reports the difference. */
  private replace(items: KubeObject[]): void {
    this.tombstones.clear();
    const seen = new Set<string>();
    for (const obj of items) {
      seen.add(objectKey(obj));
      this.upsert(obj, true);
    }
    for (const key of [...this.cache.keys()]) if (!seen.has(key)) this.remove(key);
  }

  private upsert(obj: KubeObject, authoritative: boolean): void {
    const key = objectKey(obj);
    const rv = revisionOf(obj);
    const old = this.cache.get(key);
    if (!authoritative) {
      const tomb = this.tombstones.get(key);
      if (tomb !== undefined && !(rv > tomb)) return;
      if (old && !(rv > revisionOf(old)) && !Number.isNaN(rv)) return;
    } else if (old && rv === revisionOf(old)) {
      return;
    }
    this.tombstones.delete(key);
    this.cache.set(key, obj);
    this.indexes.update(key, old, obj);
    for (const h of this.handlers) {
      if (old) this.call(() => h.update?.(old, obj));
      else this.call(() => h.add?.(obj));
    }
  }

  private remove(key: string): void {
    const old = this.cache.get(key);
    if (!old) return;
    this.cache.delete(key);
    this.indexes.update(key, old, undefined);
    for (const h of this.handlers) this.call(() => h.delete?.(old));
  }

  /** Remembers a removal so that an older copy (a late write answer) cannot bring the object back. */
  private bury(key: string, rv: number): void {
    if (Number.isNaN(rv)) return;
    const previous = this.tombstones.get(key) ?? 0;
    this.tombstones.delete(key);
    this.tombstones.set(key, Math.max(rv, previous));
    if (this.tombstones.size > maxTombstones) {
      const oldest = this.tombstones.keys().next().value;
      if (oldest !== undefined) this.tombstones.delete(oldest);
    }
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.opts.log.error('informer handler failed', { resource: this.ref.resource, err: errorText(err) });
    }
  }

  private shutDown(): void {
    this.generation++;
    this.watch?.stop();
    this.watch = undefined;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}

// Lists may leave kind/apiVersion off items (as Kubernetes does); the garbage collector and the
// event recorder need them, so fill them in from the list kind.
function withKind(obj: KubeObject, apiVersion: string, listKind: string): KubeObject {
  if (obj.kind && obj.apiVersion) return obj;
  const kind = obj.kind ?? (listKind.endsWith('List') ? listKind.slice(0, -'List'.length) : undefined);
  return { ...obj, apiVersion: obj.apiVersion ?? apiVersion, ...(kind ? { kind } : {}) };
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
