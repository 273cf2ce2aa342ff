// The topics the cloud asked this node to subscribe to, kept across restarts in KubeEdge's table
// sub_topics(topic TEXT PRIMARY KEY) (metamanager/dao/models/eventbus.go; dbclient/eventbus.go writes
// with INSERT OR REPLACE). The built-in subscriptions (EDGE_SUBSCRIPTIONS) are not stored there.
import { applyMigrations, type Database, type Migration } from '../dbm/index.js';

export const EVENTBUS_SCHEMA_MODULE = 'eventbus';

/** gorm's AutoMigrate creates `topic text, PRIMARY KEY (topic)`; the same shape, so either side adopts the file. */
export const EVENTBUS_MIGRATIONS: readonly Migration[] = [
  { version: 1, up: 'CREATE TABLE IF NOT EXISTS sub_topics (topic TEXT, PRIMARY KEY (topic))' },
];

/** Creates sub_topics if missing; returns the eventbus schema version. */
export function migrateEventBusSchema(db: Database): number {
  return applyMigrations(db, EVENTBUS_SCHEMA_MODULE, EVENTBUS_MIGRATIONS);
}

/** Reads and writes sub_topics. Methods throw DatabaseError-classified SQLite errors; callers decide. */
export class SubTopicStore {
  private readonly insertStmt;
  private readonly deleteStmt;
  private readonly listStmt;

  constructor(db: Database) {
    migrateEventBusSchema(db);
    this.insertStmt = db.prepare('INSERT OR REPLACE INTO sub_topics (topic) VALUES (?)');
    this.deleteStmt = db.prepare('DELETE FROM sub_topics WHERE topic = ?');
    this.listStmt = db.prepare('SELECT topic FROM sub_topics ORDER BY topic').pluck();
  }

  add(topic: string): void {
    this.insertStmt.run(topic);
  }

  /** True when a row was there. */
  remove(topic: string): boolean {
    return this.deleteStmt.run(topic).changes > 0;
  }

  list(): string[] {
    return (this.listStmt.all() as unknown[]).filter((t): t is string => typeof t === 'string' && t !== '');
  }
}
