// What every object-API operation works with: the store, the catalog of served resources, time and id
// sources (injected so tests are deterministic), and a transaction helper that runs catalog side
// effects only once the store has committed (or undoes them when it rolls back).
import { randomUUID } from 'node:crypto';
import type { Store } from '../storage/index.js';
import type { Catalog } from '../registry/index.js';

export interface ObjectApiLog {
  warn(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
}

export interface ObjectApiDeps {
  store: Store;
  catalog: Catalog;
  now?: () => Date;
  newUid?: () => string;
  /** How often a watch with allowWatchBookmarks gets a BOOKMARK (default 60 s, like kube-apiserver). */
  bookmarkIntervalMs?: number;
  log?: ObjectApiLog;
}

export interface Env {
  readonly store: Store;
  readonly catalog: Catalog;
  readonly now: () => Date;
  readonly newUid: () => string;
  readonly bookmarkIntervalMs: number;
  readonly log: ObjectApiLog;
}

export const DEFAULT_BOOKMARK_INTERVAL_MS = 60_000;

const silentLog: ObjectApiLog = { warn: () => undefined, info: () => undefined };

export function resolveEnv(deps: ObjectApiDeps): Env {
  return {
    store: deps.store,
    catalog: deps.catalog,
    now: deps.now ?? (() => new Date()),
    newUid: deps.newUid ?? randomUUID,
    bookmarkIntervalMs: deps.bookmarkIntervalMs ?? DEFAULT_BOOKMARK_INTERVAL_MS,
    log: deps.log ?? silentLog,
  };
}

/** Hooks for work outside the store that must follow the transaction's outcome. */
export interface Tx {
  afterCommit(fn: () => void): void;
  onRollback(fn: () => void): void;
}

/** Runs fn in one store transaction; all writes of a request commit together or not at all. */
export function inTransaction<T>(env: Env, fn: (tx: Tx) => T): T {
  const after: Array<() => void> = [];
  const undo: Array<() => void> = [];
  const tx: Tx = { afterCommit: (f) => after.push(f), onRollback: (f) => undo.push(f) };
  let result: T;
  try {
    result = env.store.transaction(() => fn(tx));
  } catch (err) {
    for (const f of undo.reverse()) runQuietly(env, f, 'rollback hook failed');
    throw err;
  }
  for (const f of after) runQuietly(env, f, 'after-commit hook failed');
  return result;
}

function runQuietly(env: Env, fn: () => void, what: string): void {
  try {
    fn();
  } catch (err) {
    env.log.warn(`objects: ${what}`, { error: err instanceof Error ? err.message : String(err) });
  }
}
