// The SQL of metamanager over KubeEdge's `meta` and `meta_v2` tables. Statements are prepared once;
// callers group writes with transaction() so a meta row and its meta_v2 row commit together.
import type { Database } from '../dbm/index.js';
import type { MetaV2Identity } from './meta-v2-key.js';
import { parseResourceVersion } from './resource-version.js';

export interface MetaRow {
  key: string;
  type: string;
  value: string;
}

/** What the stored value says about its version, read by SQLite without parsing it in JS. */
export interface StoredVersion {
  resourceVersion: bigint | undefined;
  uid: string | undefined;
}

export interface MetaV2Row extends MetaV2Identity {
  resourceVersion: bigint;
  value: string;
}

export class MetaStore {
  readonly #db: Database;
  readonly #get;
  readonly #version;
  readonly #listType;
  readonly #listTypePrefix;
  readonly #upsertMeta;
  readonly #upsertV2;
  readonly #deleteMeta;
  readonly #deleteV2;

  constructor(db: Database) {
    this.#db = db;
    this.#get = db.prepare<[string], MetaRow>('SELECT key, type, value FROM meta WHERE key = ?');
    this.#version = db.prepare<[string], { rv: unknown; uid: unknown }>(
      `SELECT CASE WHEN json_valid(value) THEN json_extract(value, '$.metadata.resourceVersion') END AS rv,
              CASE WHEN json_valid(value) THEN json_extract(value, '$.metadata.uid') END AS uid
       FROM meta WHERE key = ?`,
    );
    this.#listType = db.prepare<[string], MetaRow>('SELECT key, type, value FROM meta WHERE type = ? ORDER BY key');
    this.#listTypePrefix = db.prepare<[string, number, string], MetaRow>(
      'SELECT key, type, value FROM meta WHERE type = ? AND substr(key, 1, ?) = ? ORDER BY key',
    );
    // KubeEdge: INSERT OR REPLACE INTO meta (key, type, value) (dbclient/meta.go InsertOrUpdate).
    this.#upsertMeta = db.prepare<[string, string, string]>('INSERT OR REPLACE INTO meta (key, type, value) VALUES (?, ?, ?)');
    this.#upsertV2 = db.prepare<[string, string, string, string, bigint, string]>(
      `INSERT OR REPLACE INTO meta_v2 (key, group_version_resource, namespace, name, resource_version, value)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.#deleteMeta = db.prepare<[string]>('DELETE FROM meta WHERE key = ?');
    this.#deleteV2 = db.prepare<[string]>('DELETE FROM meta_v2 WHERE key = ?');
  }

  /** Runs fn in one IMMEDIATE transaction (takes the write lock up front: no upgrade deadlock). */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn).immediate();
  }

  get(key: string): MetaRow | undefined {
    return this.#get.get(key);
  }

  version(key: string): StoredVersion | undefined {
    const row = this.#version.get(key);
    if (row === undefined) return undefined;
    return {
      resourceVersion: parseResourceVersion(row.rv),
      uid: typeof row.uid === 'string' && row.uid !== '' ? row.uid : undefined,
    };
  }

  /** Rows of one type; with a namespace ("null" for cluster scope) only keys `<ns>/<type>/...`. */
  list(type: string, namespace?: string): MetaRow[] {
    if (namespace === undefined) return this.#listType.all(type);
    const prefix = `${namespace}/${type}/`;
    return this.#listTypePrefix.all(type, prefix.length, prefix);
  }

  upsert(row: MetaRow, v2: MetaV2Row | undefined): void {
    this.#upsertMeta.run(row.key, row.type, row.value);
    if (v2 !== undefined) {
      this.#upsertV2.run(v2.key, v2.groupVersionResource, v2.namespace, v2.name, v2.resourceVersion, v2.value);
    }
  }

  /** Deletes meta rows and meta_v2 rows by key; returns how many meta rows existed. */
  delete(metaKeys: readonly string[], v2Keys: readonly string[]): number {
    let removed = 0;
    for (const key of metaKeys) removed += this.#deleteMeta.run(key).changes;
    for (const key of new Set(v2Keys)) this.#deleteV2.run(key);
    return removed;
  }
}
