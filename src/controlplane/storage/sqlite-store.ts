// The control plane's Store on SQLite (better-sqlite3, synchronous). One process owns the file: the
// revision counter and watch fan-out live in this object, so a second writer process is not supported.
import type { KubeObject } from '../../api/index.js';
import { ApiError, errors } from '../errors.js';
import {
  CONFLICT_REASON, checkWritableResource, deletedState, expectedRevisionOf, objectKey, parseStored,
  resourceNameOf, stampedJson,
} from './object-keys.js';
import { openDatabase, type SqliteDatabase, type StoreLog } from './schema.js';
import { prepareStatements, type Statements } from './statements.js';
import type { Store, StoreEvent, StoreListResult, StorePrefilter, StoreWatchOptions } from './types.js';
import { WatchHub, toStoreEvent, type CommittedEvent, type Watcher } from './watch-hub.js';

export interface OpenStoreOptions {
  /** A file path (created 0600 with its folder if missing) or ':memory:'. */
  path: string;
  /** Events kept for watches (default 100_000). Older watches get 410 Gone. */
  historyLimit?: number;
  log?: StoreLog;
}

export const DEFAULT_HISTORY_LIMIT = 100_000;
/** Rows fetched per replay query: bounds memory when a watch replays a long history. */
const REPLAY_BATCH = 500;

export function openStore(options: OpenStoreOptions): SqliteStore {
  const historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  if (!Number.isSafeInteger(historyLimit) || historyLimit < 1) {
    throw new RangeError(`storage: historyLimit must be a positive integer, got ${String(historyLimit)}`);
  }
  return new SqliteStore(openDatabase(options.path, options.log), historyLimit, options.log);
}

export class SqliteStore implements Store {
  readonly #db: SqliteDatabase;
  readonly #st: Statements;
  readonly #hub: WatchHub;
  readonly #log: StoreLog | undefined;
  readonly #historyLimit: number;
  /** History may exceed the limit by this much before a compaction runs, so it runs once per N writes. */
  readonly #compactSlack: number;
  readonly #runInTransaction: (fn: () => unknown) => unknown;
  /** Last revision handed out (includes an open transaction's writes). */
  #rev: number;
  /** Last committed revision: what readers and watchers may see. */
  #committed: number;
  /** fromRevision >= this can be watched: every event after it is still in history. */
  #oldest: number;
  /** Events of the open transaction, delivered after the outermost commit; undefined outside one. */
  #pending: CommittedEvent[] | undefined;
  #closed = false;

  constructor(db: SqliteDatabase, historyLimit: number, log?: StoreLog) {
    this.#db = db;
    this.#st = prepareStatements(db);
    this.#hub = new WatchHub(log);
    this.#log = log;
    this.#historyLimit = historyLimit;
    this.#compactSlack = Math.min(1000, Math.max(1, Math.floor(historyLimit / 10)));
    // IMMEDIATE takes the write lock up front; nested calls become savepoints (better-sqlite3).
    this.#runInTransaction = db.transaction((fn: () => unknown) => fn()).immediate;
    // The persisted counter is the truth; the history's newest row is a second witness.
    this.#rev = Math.max(Number(this.#st.readRevision.get() ?? 0), this.#st.maxEvent.get() ?? 0);
    this.#committed = this.#rev;
    const minEvent = this.#st.minEvent.get();
    this.#oldest = minEvent == null ? this.#rev : minEvent - 1;
    this.#maybeCompact();
  }

  revision(): number {
    this.#statements();
    return this.#committed;
  }

  oldestWatchableRevision(): number {
    this.#statements();
    return this.#oldest;
  }

  get(resource: string, namespace: string, name: string): KubeObject | undefined {
    const json = this.#statements().get.get(resource, namespace, name);
    if (json === undefined) return undefined;
    const obj = parseStored(json);
    if (!obj) throw errors.internal(`storage: stored object ${resource} ${namespace}/${name} is unreadable`);
    return obj;
  }

  #prefiltered(resource: string, namespace: string | undefined, keep: (labels: Record<string, string> | undefined) => boolean): string[] {
    const st = this.#statements();
    const rows = namespace ? st.listNamespaceLabels.all(resource, namespace) : st.listAllLabels.all(resource);
    const out: string[] = [];
    for (const row of rows) {
      let labels: Record<string, string> | undefined;
      try {
        labels = row.labels === null ? undefined : (JSON.parse(row.labels) as Record<string, string>);
      } catch {
        labels = undefined;
      }
      if (!keep(labels)) continue;
      const value = st.valueById.get(row.id);
      if (value !== undefined) out.push(value);
    }
    return out;
  }

  /** namespace undefined or '' = all namespaces (as for watch). */
  list(resource: string, namespace?: string, prefilter?: StorePrefilter): StoreListResult {
    const st = this.#statements();
    const rows = prefilter?.labels ? this.#prefiltered(resource, namespace, prefilter.labels)
      : namespace ? st.listNamespace.all(resource, namespace) : st.listAll.all(resource);
    const items: KubeObject[] = [];
    for (const json of rows) {
      const obj = parseStored(json);
      if (obj) items.push(obj);
      else this.#log?.warn('storage: unreadable object skipped in list', { resource, length: json.length });
    }
    // Inside a transaction the list includes its own uncommitted writes, so report their revision.
    return { items, revision: this.#rev };
  }

  count(resource: string, namespace?: string): number {
    const st = this.#statements();
    return namespace ? st.countNamespace.get(resource, namespace) ?? 0 : st.countAll.get(resource) ?? 0;
  }

  create(resource: string, obj: KubeObject): KubeObject {
    checkWritableResource(resource);
    const { namespace, name } = objectKey(resource, obj);
    return this.transaction(() => {
      const revision = this.#rev + 1;
      const json = stampedJson(obj, revision);
      if (this.#st.insert.run({ resource, namespace, name, revision, value: json }).changes === 0) {
        throw errors.alreadyExists(resourceNameOf(resource), name);
      }
      return this.#record({ type: 'ADDED', resource, namespace, name, revision, json });
    });
  }

  /** The caller's metadata.resourceVersion is ignored; only expectedRevision is a precondition. */
  update(resource: string, obj: KubeObject, expectedRevision?: number): KubeObject {
    checkWritableResource(resource);
    const { namespace, name } = objectKey(resource, obj);
    const expected = expectedRevisionOf(expectedRevision);
    return this.transaction(() => {
      const revision = this.#rev + 1;
      const json = stampedJson(obj, revision);
      if (this.#st.update.run({ resource, namespace, name, revision, value: json, expected }).changes === 0) {
        throw this.#missingOrStale(resource, namespace, name);
      }
      return this.#record({ type: 'MODIFIED', resource, namespace, name, revision, json });
    });
  }

  delete(resource: string, namespace: string, name: string, expectedRevision?: number): KubeObject {
    checkWritableResource(resource);
    const expected = expectedRevisionOf(expectedRevision);
    return this.transaction(() => {
      const old = this.#st.remove.get({ resource, namespace, name, expected });
      if (old === undefined) throw this.#missingOrStale(resource, namespace, name);
      const revision = this.#rev + 1;
      const json = JSON.stringify(deletedState(old, namespace, name, revision));
      return this.#record({ type: 'DELETED', resource, namespace, name, revision, json });
    });
  }

  /**
   * Runs fn in one SQLite transaction (nested calls are savepoints). Events reach listeners only after
   * the outermost commit. If fn throws, nothing is stored, no event is delivered and the revision
   * counter is restored. fn must be synchronous.
   */
  transaction<T>(fn: () => T): T {
    this.#statements();
    const outermost = this.#pending === undefined;
    const pending = this.#pending ?? [];
    const mark = pending.length;
    const revisionBefore = this.#rev;
    this.#pending = pending;
    let result: T;
    try {
      result = this.#runInTransaction(outermost ? () => this.#withPersistedRevision(fn, revisionBefore) : fn) as T;
    } catch (err) {
      pending.length = mark;
      this.#rev = revisionBefore;
      if (outermost) this.#pending = undefined;
      throw err;
    }
    if (outermost) {
      this.#pending = undefined;
      this.#committed = this.#rev;
      this.#maybeCompact();
      this.#hub.publish(pending);
    }
    return result;
  }

  /**
   * Replays history after options.fromRevision synchronously (before returning), then streams live
   * events. Event objects are deep-frozen and shared between listeners: copy before changing one.
   */
  watch(resource: string, options: StoreWatchOptions, listener: (event: StoreEvent) => void): () => void {
    this.#statements();
    const from = options.fromRevision;
    if (from !== undefined && (!Number.isSafeInteger(from) || from < 0)) {
      throw errors.badRequest(`invalid resourceVersion: ${JSON.stringify(from)}`);
    }
    if (from !== undefined && from < this.#oldest) throw this.#tooOld(from);
    const watcher: Watcher = {
      resource, namespace: options.namespace ?? '', listener, last: from ?? this.#committed, replaying: true, active: true,
    };
    this.#hub.add(watcher);
    try {
      this.#replay(watcher);
    } catch (err) {
      this.#hub.remove(watcher);
      throw err;
    } finally {
      watcher.replaying = false;
    }
    return () => this.#hub.remove(watcher);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#hub.removeAll();
    this.#db.close();
  }

  /** Runs a compaction now if history exceeds the limit (also done automatically every few writes). */
  compact(): void {
    this.#statements();
    this.#maybeCompact(0);
  }

  #statements(): Statements {
    if (this.#closed) throw new ApiError(503, 'ServiceUnavailable', 'storage is closed');
    return this.#st;
  }

  #withPersistedRevision<T>(fn: () => T, revisionBefore: number): T {
    const result = fn();
    if (this.#rev !== revisionBefore) this.#st.writeRevision.run(this.#rev);
    return result;
  }

  /** Appends the event row, advances the counter and returns a fresh copy for the caller. */
  #record(e: CommittedEvent): KubeObject {
    this.#st.appendEvent.run(e.revision, e.resource, e.namespace, e.name, e.type, e.json);
    this.#rev = e.revision;
    this.#pending?.push(e);
    return JSON.parse(e.json) as KubeObject;
  }

  #missingOrStale(resource: string, namespace: string, name: string): ApiError {
    const r = resourceNameOf(resource);
    return this.#st.revisionOf.get(resource, namespace, name) === undefined
      ? errors.notFound(r, name)
      : errors.conflict(r, name, CONFLICT_REASON);
  }

  #tooOld(from: number): ApiError {
    return errors.gone(`too old resource version: ${from} (${this.#oldest})`);
  }

  /**
   * Delivers history after watcher.last up to the committed revision, in batches. A listener may write
   * while we replay: the loop then reads the new rows too, and live delivery skips this watcher until
   * replay ends (watcher.last prevents duplicates afterwards).
   */
  #replay(w: Watcher): void {
    const statement = w.resource === '*' ? this.#st.replayAll : this.#st.replayResource;
    while (w.active && w.last < this.#committed) {
      if (w.last < this.#oldest) throw this.#tooOld(w.last);
      const upto = this.#committed;
      const rows = statement.all({ from: w.last, upto, resource: w.resource, namespace: w.namespace, limit: REPLAY_BATCH });
      for (const row of rows) {
        if (!w.active) return;
        const event = toStoreEvent({ type: row.type as StoreEvent['type'], resource: row.resource, revision: row.revision, json: row.value });
        w.last = row.revision;
        if (event) this.#hub.call(w, event);
        else this.#log?.warn('storage: unreadable event skipped in replay', { resource: row.resource, revision: row.revision });
      }
      // A short batch means nothing else matched up to `upto`.
      if (rows.length < REPLAY_BATCH) w.last = Math.max(w.last, upto);
    }
  }

  /** Keeps the newest historyLimit events; runs only when history has grown past the limit plus slack. */
  #maybeCompact(slack = this.#compactSlack): void {
    // Never inside a transaction: a rollback would leave #oldest pointing past rows that came back.
    if (this.#pending !== undefined) return;
    if (this.#committed - this.#oldest <= this.#historyLimit + slack) return;
    const floor = this.#committed - this.#historyLimit;
    try {
      this.#st.compact.run(floor);
      this.#oldest = floor;
    } catch (err) {
      this.#log?.warn('storage: history compaction failed', { error: err instanceof Error ? err.message : String(err) });
    }
  }
}
