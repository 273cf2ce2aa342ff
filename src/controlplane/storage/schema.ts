// Opening the SQLite file: pragmas, schema creation and versioned migrations.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { errors } from '../errors.js';

export type SqliteDatabase = Database.Database;

export interface StoreLog {
  warn(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Migration i brings the schema from version i to i + 1; a fresh file is version 0. Append new
 * migrations at the end and never edit a released one, so every old file can be upgraded in order.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
  -- One row per live object. A rowid table (not WITHOUT ROWID) because values are large JSON texts;
  -- the unique key index serves get, list by (resource, namespace) in name order, and count.
  CREATE TABLE objects (
    id INTEGER PRIMARY KEY,
    resource TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    revision INTEGER NOT NULL,
    value TEXT NOT NULL
  );
  CREATE UNIQUE INDEX objects_key ON objects (resource, namespace, name);
  -- The watch history: one row per revision, so revisions in it are contiguous.
  CREATE TABLE events (
    revision INTEGER PRIMARY KEY,
    resource TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    value TEXT NOT NULL
  );
  INSERT INTO meta (key, value) VALUES ('revision', 0);
  `,
  // 1 → 2: metadata.labels kept beside the value (written by SQLite from the value on every write),
  // so a label-selected list reads small label texts and parses only the objects that match.
  `
  ALTER TABLE objects ADD COLUMN labels TEXT;
  UPDATE objects SET labels = CASE WHEN json_valid(value) THEN json_extract(value, '$.metadata.labels') END;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Opens (creating if needed) a store file or ':memory:', applies pragmas and migrations. */
export function openDatabase(path: string, log?: StoreLog): SqliteDatabase {
  const memory = path === ':memory:';
  if (!memory) createPrivateFile(path);
  const db = new Database(path, { timeout: 5000 });
  try {
    applyPragmas(db, memory, log);
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** The store holds Secrets: create the file 0600 before SQLite does (its -wal/-shm files copy the mode). */
function createPrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  closeSync(openSync(path, 'a', 0o600));
}

function applyPragmas(db: SqliteDatabase, memory: boolean, log?: StoreLog): void {
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (!memory && mode !== 'wal') log?.warn('storage: WAL mode unavailable, using fallback journal', { mode });
  // Durability decision: WAL + synchronous=NORMAL. A commit appends to the WAL through the OS page
  // cache, so once a write call returns it survives the process being killed (kill -9, crash, OOM).
  // The WAL is fsynced only at checkpoints, so a power loss or kernel crash may drop the last few
  // milliseconds of commits; the file is never corrupted either way. FULL would fsync every commit and
  // cost roughly an order of magnitude in write throughput, which an edge control plane cannot spare.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // No foreign keys in this schema; keep the check off so it can never slow or fail a write.
  db.pragma('foreign_keys = OFF');
  db.pragma('temp_store = MEMORY');
  // Truncate the WAL back to 64 MiB after checkpoints so a burst does not leave a huge file behind.
  db.pragma('journal_size_limit = 67108864');
}

function currentVersion(db: SqliteDatabase): number {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
  if (!hasMeta) {
    const other = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' LIMIT 1")
      .pluck().get();
    if (other !== undefined) throw errors.internal(`storage: not a KubeEdge-TS store (found table ${String(other)})`);
    return 0;
  }
  const value = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get();
  return value === undefined ? 0 : Number(value);
}

function migrate(db: SqliteDatabase): void {
  db.transaction(() => {
    const version = currentVersion(db);
    if (!Number.isInteger(version) || version < 0 || version > SCHEMA_VERSION) {
      throw errors.internal(`storage: schema version ${String(version)} is not supported (this build knows ${SCHEMA_VERSION})`);
    }
    for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] ?? '');
    db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .run(SCHEMA_VERSION);
  }).immediate();
}
