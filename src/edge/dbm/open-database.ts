// Opens edgecore.db, the one SQLite file every edge module shares (KubeEdge: edge/pkg/common/dbm,
// now metamanager/dao, with a single gorm connection). Each module adds its own tables through
// applyMigrations; KubeEdge's own tables (meta, meta_v2, device, ...) keep their names and columns.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DatabaseError, toDatabaseError } from './errors.js';

export type Database = BetterSqlite3.Database;

export type SynchronousMode = 'FULL' | 'NORMAL';

export interface OpenEdgeDatabaseOptions {
  /**
   * FULL (default): every commit is fsynced before the write call returns, so an object the edge has
   * acked to the cloud survives a power loss; the cloud will not resend it. NORMAL survives a crash
   * of the process but may lose the last commits on power loss; for tests and benchmarks.
   */
  synchronous?: SynchronousMode;
  /** How long a write waits for another connection's lock, in ms; default 5000. */
  busyTimeoutMs?: number;
  /** 'quick' (default) runs PRAGMA quick_check at open so a damaged file fails now, not mid-sync. */
  check?: 'quick' | 'none';
}

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating the file and its directory if needed) the edge database in WAL mode.
 * Throws DatabaseError: `corrupt` (not a database / damaged pages), `cannot_open`, `readonly`, `io`.
 * `:memory:` is accepted for tests.
 */
export function openEdgeDatabase(path: string, opts: OpenEdgeDatabaseOptions = {}): Database {
  const memory = path === ':memory:';
  if (!memory) createPrivateFile(path);
  let db: Database;
  try {
    db = new BetterSqlite3(path, { timeout: opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
  } catch (err) {
    throw toDatabaseError(err, 'open');
  }
  try {
    applyPragmas(db, opts);
    if (opts.check !== 'none') quickCheck(db, path);
    if (!memory) probeWrite(db);
    return db;
  } catch (err) {
    db.close();
    throw toDatabaseError(err, 'open');
  }
}

/** The file holds Secrets and service account tokens: create it 0600 before SQLite does. */
function createPrivateFile(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    closeSync(openSync(path, 'a', 0o600));
  } catch (err) {
    throw toDatabaseError(err, 'open');
  }
}

function applyPragmas(db: Database, opts: OpenEdgeDatabaseOptions): void {
  // The first statement reads the header: a file that is not SQLite fails here with SQLITE_NOTADB.
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`);
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`);
  db.pragma('foreign_keys = ON');
  // Keep a burst from leaving a large WAL behind on small edge disks (64 MiB after checkpoints).
  db.pragma('journal_size_limit = 67108864');
}

function quickCheck(db: Database, path: string): void {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  if (problems.length > 0) {
    throw new DatabaseError('corrupt', 'open', `open: ${path} failed quick_check: ${problems.slice(0, 3).join('; ')}`, {
      sqliteCode: 'SQLITE_CORRUPT',
    });
  }
}

/** SQLite silently opens a write-protected file read-only; find out now rather than at the first ack. */
function probeWrite(db: Database): void {
  db.exec('BEGIN IMMEDIATE');
  db.exec('ROLLBACK');
}
