// An informer over a KubeClient, as client-go's reflector + store: list, then watch from the list's
// resourceVersion into a local cache keyed "namespace/name" ("name" for cluster-scoped objects),
// calling add/update/delete handlers. A watch that ends cleanly (server timeout) is resumed from the
// last seen resourceVersion; 410 Expired relists at once; any other failure relists after a jittered
// exponential backoff. A relist replays the difference to the handlers, so none misses a delete.
import type { KubeObject } from '../../api/index.js';
import type { Logger } from '../../core/index.js';
import { KubeError, type KubeClient, type ResourceRef, type WatchEvent } from './types.js';

export interface InformerHandlers {
  add?(obj: KubeObject): void;
  update?(oldObj: KubeObject, newObj: KubeObject): void;
  delete?(obj: KubeObject): void;
}

/** Injected timers, so tests control the backoff. */
export interface InformerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface InformerOptions {
  client: KubeClient;
  ref: ResourceRef;
  log: Logger;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  handlers?: InformerHandlers;
  /** First retry delay after a failure (default 200 ms), doubling up to maxBackoffMs (default 30 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  timers?: InformerTimers;
  /** [0,1) source for backoff jitter. */
  random?: () => number;
}

/** The cache key client-go uses. */
export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name ?? ''}` : obj.metadata.name ?? '';
}

const realTimers: InformerTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class Informer {
  readonly ref: ResourceRef;
  private readonly cache = new Map<string, KubeObject>();
  private readonly handlers: InformerHandlers[] = [];
  private readonly abort = new AbortController();
  private readonly timers: InformerTimers;
  private readonly syncWaiters = new Set<(ok: boolean) => void>();
  private synced = false;
  private started = false;
  private failures = 0;
  private lastRV = '';
  private delay: { handle: unknown; wake: () => void } | undefined;

  constructor(private readonly opts: InformerOptions) {
    this.ref = opts.ref;
    this.timers = opts.timers ?? realTimers;
    if (opts.handlers) this.handlers.push(opts.handlers);
  }

  /** Adds handlers; objects already cached are replayed to them as adds. */
  addHandlers(h: InformerHandlers): void {
    this.handlers.push(h);
    if (this.synced && h.add) for (const obj of this.cache.values()) this.call(() => h.add?.(obj));
  }

  /** Starts the list/watch loop (once). It runs until stop(). */
  start(): void {
    if (this.started || this.abort.signal.aborted) return;
    this.started = true;
    void this.run();
  }

  stop(): void {
    if (this.abort.signal.aborted) return;
    this.abort.abort();
    this.delay?.wake();
    for (const w of this.syncWaiters) w(false);
    this.syncWaiters.clear();
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once the first list is in the cache; false when `signal` aborts or the informer stops. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (signal?.aborted || this.abort.signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        this.syncWaiters.delete(done);
        signal?.removeEventListener('abort', onAbort);
        resolve(ok);
      };
      const onAbort = (): void => done(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.add(done);
    });
  }

  get(namespace: string | null, name: string): KubeObject | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  list(): KubeObject[] {
    return [...this.cache.values()];
  }

  /** The resourceVersion the next watch starts from. */
  lastSyncResourceVersion(): string {
    return this.lastRV;
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) await this.relist();
        needList = false;
        let events = 0;
        await this.opts.client.watch(this.ref, this.watchOptions(), (ev) => { events += 1; this.apply(ev); }, signal);
        // A clean end is the server's watch timeout: resume from the last version seen. A server
        // that ends every watch at once would make this a hot loop, so an empty watch backs off.
        if (events === 0 && !signal.aborted) {
          this.failures += 1;
          await this.sleep(this.backoffMs());
        }
      } catch (err) {
        if (signal.aborted) break;
        needList = true;
        if (err instanceof KubeError && err.status === 410) {
          this.opts.log.debug('watch expired', { resource: this.ref.plural });
          continue;
        }
        this.failures += 1;
        this.opts.log.warn('list watch failed', { resource: this.ref.plural, error: (err as Error).message, failures: this.failures });
        await this.sleep(this.backoffMs());
      }
    }
  }

  private watchOptions(): Parameters<KubeClient['watch']>[1] {
    const o: Parameters<KubeClient['watch']>[1] = { resourceVersion: this.lastRV };
    if (this.opts.namespace) o.namespace = this.opts.namespace;
    if (this.opts.labelSelector) o.labelSelector = this.opts.labelSelector;
    if (this.opts.fieldSelector) o.fieldSelector = this.opts.fieldSelector;
    return o;
  }

  private async relist(): Promise<void> {
    const { resourceVersion: _rv, ...listOpts } = this.watchOptions();
    const list = await this.opts.client.list(this.ref, listOpts);
    if (this.abort.signal.aborted) return;
    const seen = new Set<string>();
    for (const obj of list.items) {
      seen.add(objectKey(obj));
      this.upsert(obj);
    }
    for (const [key, old] of [...this.cache]) {
      if (!seen.has(key)) this.remove(key, old);
    }
    this.lastRV = list.resourceVersion;
    this.failures = 0;
    if (!this.synced) {
      this.synced = true;
      for (const w of [...this.syncWaiters]) w(true);
    }
  }

  private apply(ev: WatchEvent): void {
    const rv = ev.object.metadata.resourceVersion;
    if (rv) this.lastRV = rv;
    if (ev.type === 'BOOKMARK') return;
    if (ev.type === 'DELETED') {
      const key = objectKey(ev.object);
      if (this.cache.has(key)) this.remove(key, ev.object);
      return;
    }
    this.upsert(ev.object);
  }

  private upsert(obj: KubeObject): void {
    const key = objectKey(obj);
    const old = this.cache.get(key);
    if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) return;
    this.cache.set(key, obj);
    for (const h of this.handlers) {
      if (old) this.call(() => h.update?.(old, obj));
      else this.call(() => h.add?.(obj));
    }
  }

  private remove(key: string, last: KubeObject): void {
    this.cache.delete(key);
    for (const h of this.handlers) this.call(() => h.delete?.(last));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.opts.log.error('handler failed', { resource: this.ref.plural, error: (err as Error).message });
    }
  }

  private backoffMs(): number {
    const base = this.opts.initialBackoffMs ?? 200;
    const max = this.opts.maxBackoffMs ?? 30_000;
    const exp = Math.min(max, base * 2 ** Math.min(this.failures - 1, 20));
    // Full jitter on the upper half, so many informers failing together do not retry together.
    return exp / 2 + (exp / 2) * (this.opts.random ?? Math.random)();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        this.timers.clearTimeout(handle);
        this.delay = undefined;
        resolve();
      };
      const handle = this.timers.setTimeout(wake, ms);
      this.delay = { handle, wake };
    });
  }
}
