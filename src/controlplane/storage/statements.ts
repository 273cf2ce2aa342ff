// Every SQL statement of the store, prepared once per open database.
import type { SqliteDatabase } from './schema.js';

/** One row of the watch history. */
export interface EventRow {
  revision: number;
  resource: string;
  namespace: string;
  name: string;
  type: string;
  value: string;
}

export interface ReplayQuery {
  from: number;
  upto: number;
  resource: string;
  namespace: string;
  limit: number;
}

type Key = [resource: string, namespace: string, name: string];

export function prepareStatements(db: SqliteDatabase) {
  const eventColumns = 'revision, resource, namespace, name, type, value';
  return {
    // Objects. Reads pluck the JSON text only; it already carries metadata.resourceVersion.
    get: db.prepare<Key, string>('SELECT value FROM objects WHERE resource = ? AND namespace = ? AND name = ?').pluck(),
    revisionOf: db.prepare<Key, number>('SELECT revision FROM objects WHERE resource = ? AND namespace = ? AND name = ?').pluck(),
    listAll: db.prepare<[string], string>('SELECT value FROM objects WHERE resource = ? ORDER BY namespace, name').pluck(),
    listNamespace: db.prepare<[string, string], string>(
      'SELECT value FROM objects WHERE resource = ? AND namespace = ? ORDER BY name').pluck(),
    // Label prefilter: read the labels column (kept by SQLite from the value on every write) and
    // fetch the JSON only for rows whose labels match.
    listAllLabels: db.prepare<[string], { id: number; labels: string | null }>(
      'SELECT id, labels FROM objects WHERE resource = ? ORDER BY namespace, name'),
    listNamespaceLabels: db.prepare<[string, string], { id: number; labels: string | null }>(
      'SELECT id, labels FROM objects WHERE resource = ? AND namespace = ? ORDER BY name'),
    valueById: db.prepare<[number], string>('SELECT value FROM objects WHERE id = ?').pluck(),
    countAll: db.prepare<[string], number>('SELECT COUNT(*) FROM objects WHERE resource = ?').pluck(),
    countNamespace: db.prepare<[string, string], number>(
      'SELECT COUNT(*) FROM objects WHERE resource = ? AND namespace = ?').pluck(),
    // ON CONFLICT DO NOTHING: an existing key reports 0 changes instead of costing a lookup first.
    insert: db.prepare<[{ resource: string; namespace: string; name: string; revision: number; value: string }]>(
      "INSERT INTO objects (resource, namespace, name, revision, value, labels) VALUES (@resource, @namespace, @name, @revision, @value, json_extract(@value, '$.metadata.labels')) " +
      'ON CONFLICT (resource, namespace, name) DO NOTHING'),
    // expected NULL = unconditional; 0 changes means missing or stale (told apart by revisionOf).
    update: db.prepare<[{ resource: string; namespace: string; name: string; revision: number; value: string; expected: number | null }]>(
      "UPDATE objects SET revision = @revision, value = @value, labels = json_extract(@value, '$.metadata.labels') " +
      'WHERE resource = @resource AND namespace = @namespace AND name = @name AND (@expected IS NULL OR revision = @expected)'),
    remove: db.prepare<[{ resource: string; namespace: string; name: string; expected: number | null }], string>(
      'DELETE FROM objects WHERE resource = @resource AND namespace = @namespace AND name = @name ' +
      'AND (@expected IS NULL OR revision = @expected) RETURNING value').pluck(),
    // History.
    appendEvent: db.prepare<[number, ...Key, string, string]>(
      `INSERT INTO events (${eventColumns}) VALUES (?, ?, ?, ?, ?, ?)`),
    compact: db.prepare<[number]>('DELETE FROM events WHERE revision <= ?'),
    minEvent: db.prepare<[], number | null>('SELECT MIN(revision) FROM events').pluck(),
    maxEvent: db.prepare<[], number | null>('SELECT MAX(revision) FROM events').pluck(),
    replayAll: db.prepare<[ReplayQuery], EventRow>(
      `SELECT ${eventColumns} FROM events WHERE revision > @from AND revision <= @upto ` +
      "AND (@namespace = '' OR namespace = @namespace) ORDER BY revision LIMIT @limit"),
    replayResource: db.prepare<[ReplayQuery], EventRow>(
      `SELECT ${eventColumns} FROM events WHERE revision > @from AND revision <= @upto AND resource = @resource ` +
      "AND (@namespace = '' OR namespace = @namespace) ORDER BY revision LIMIT @limit"),
    // The global revision counter, persisted in the same transaction as the writes it counts.
    readRevision: db.prepare<[], number | null>("SELECT value FROM meta WHERE key = 'revision'").pluck(),
    writeRevision: db.prepare<[number]>("UPDATE meta SET value = ? WHERE key = 'revision'"),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
