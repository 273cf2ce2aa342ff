export { openEdgeDatabase } from './open-database.js';
export type { Database, OpenEdgeDatabaseOptions, SynchronousMode } from './open-database.js';
export { applyMigrations, schemaVersion } from './migrations.js';
export type { Migration } from './migrations.js';
export { DatabaseError, classifySqliteCode, toDatabaseError, isDiskFull, guardDatabase } from './errors.js';
export type { DatabaseErrorCode } from './errors.js';
