// Versioned schema changes per module in the shared edgecore.db. KubeEdge runs gorm AutoMigrate
// on every start; we record what ran in schema_migrations (our table, ignored by KubeEdge) so a
// later release can change a table in order. Migrations should be idempotent DDL
// (CREATE TABLE IF NOT EXISTS) so a file first written by a KubeEdge edgecore is adopted as is.
import type { Database } from './open-database.js';
import { DatabaseError, toDatabaseError } from './errors.js';

export interface Migration {
  /** 1, 2, 3, ... in order; never renumber or edit a released one. */
  version: number;
  /** SQL run with exec(), or a function for data changes. */
  up: string | ((db: Database) => void);
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  module TEXT NOT NULL,
  version INTEGER NOT NULL,
  applied_at INTEGER NOT NULL,
  PRIMARY KEY (module, version)
)`;

/**
 * Applies the migrations of `module` not yet recorded, in one immediate transaction, and returns
 * the module's schema version. Throws DatabaseError `schema` when the file was written by a newer
 * build (a version above the last one known here), or the SQLite error of the failing step.
 */
export function applyMigrations(db: Database, module: string, migrations: readonly Migration[], now: () => number = Date.now): number {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const latest = sorted.at(-1)?.version ?? 0;
  try {
    return db.transaction(() => {
      db.exec(CREATE_TABLE);
      const current = schemaVersion(db, module);
      if (current > latest) {
        throw new DatabaseError('schema', 'migrate', `migrate: ${module} schema version ${current} is newer than this build (${latest})`);
      }
      const record = db.prepare('INSERT INTO schema_migrations (module, version, applied_at) VALUES (?, ?, ?)');
      for (const m of sorted) {
        if (m.version <= current) continue;
        if (typeof m.up === 'string') db.exec(m.up);
        else m.up(db);
        record.run(module, m.version, now());
      }
      return Math.max(current, latest);
    }).immediate();
  } catch (err) {
    const e = toDatabaseError(err, 'migrate');
    throw e.code === 'sqlite' ? new DatabaseError('schema', 'migrate', e.message, { sqliteCode: e.sqliteCode, cause: err }) : e;
  }
}

/** The highest applied version of `module`; 0 when none (or no schema_migrations table yet). */
export function schemaVersion(db: Database, module: string): number {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (exists === undefined) return 0;
  const v = db.prepare('SELECT MAX(version) FROM schema_migrations WHERE module = ?').pluck().get(module);
  return typeof v === 'number' ? v : 0;
}
