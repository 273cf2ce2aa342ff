// SQLite access of devicetwin: loads the device tables into DeviceEntry objects and writes a batch of
// changes in one transaction (one fsync for many twin updates). Values are stored as KubeEdge's
// gorm/beego models do: JSON text for meta ({"timestamp":ms}) and versions ({"cloud":n,"edge":n}),
// optional as 0/1, absent values as NULL.
import type { TwinVersion } from '../../core/index.js';
import type { Database } from '../dbm/index.js';
import { applyMigrations, guardDatabase } from '../dbm/index.js';
import { DEVICETWIN_MIGRATIONS, DEVICETWIN_SCHEMA_MODULE } from './schema.js';
import { type AttrEntry, type DeviceEntry, type TwinEntry, splitDeviceId } from './twin-state.js';

export type PendingKind = 'twin' | 'state';
export interface PendingKey {
  deviceId: string;
  kind: PendingKind;
  /** The twin name; "" for a state. */
  name: string;
}

export interface CommitSet {
  removedDevices: readonly string[];
  removedTwinRows: readonly number[];
  devices: readonly DeviceEntry[];
  twins: readonly { deviceId: string; twin: TwinEntry }[];
  attrs: readonly { deviceId: string; attr: AttrEntry }[];
  marks: readonly PendingKey[];
}

type Row = Record<string, unknown>;
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const optText = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function parseJson<T>(v: unknown): T | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  try {
    return JSON.parse(v) as T;
  } catch {
    return undefined;
  }
}

function version(v: unknown): TwinVersion | undefined {
  const p = parseJson<Partial<TwinVersion>>(v);
  return p ? { cloud: Number(p.cloud ?? 0), edge: Number(p.edge ?? 0) } : undefined;
}

function timestamp(v: unknown): number | undefined {
  const ts = parseJson<{ timestamp?: unknown }>(v)?.timestamp;
  return typeof ts === 'number' ? ts : undefined;
}

function twinFromRow(r: Row): TwinEntry {
  return {
    rowId: Number(r['id']), name: text(r['name']), description: text(r['description']),
    expected: optText(r['expected']), expectedTs: timestamp(r['expected_meta']), expectedVersion: version(r['expected_version']),
    actual: optText(r['actual']), actualTs: timestamp(r['actual_meta']), actualVersion: version(r['actual_version']),
    optional: Boolean(r['optional']), attrType: text(r['attr_type']), metadata: text(r['metadata']) || '{}',
  };
}

function attrFromRow(r: Row): AttrEntry {
  return {
    rowId: Number(r['id']), name: text(r['name']), description: text(r['description']), value: text(r['value']),
    optional: Boolean(r['optional']), attrType: text(r['attr_type']), metadata: text(r['metadata']) || '{}',
  };
}

function twinParams(t: TwinEntry): unknown[] {
  const meta = (ts: number | undefined, value: string | undefined): string | null =>
    value === undefined ? null : JSON.stringify(ts ? { timestamp: ts } : {});
  const ver = (v: TwinVersion | undefined): string | null => (v ? JSON.stringify({ cloud: v.cloud, edge: v.edge }) : null);
  return [
    t.name, t.description, t.expected ?? null, t.actual ?? null, meta(t.expectedTs, t.expected), meta(t.actualTs, t.actual),
    ver(t.expectedVersion), ver(t.actualVersion), t.optional ? 1 : 0, t.attrType, t.metadata,
  ];
}

const TWIN_COLS = 'name, description, expected, actual, expected_meta, actual_meta, expected_version, actual_version, optional, attr_type, metadata';

export class TwinStore {
  readonly #db: Database;
  readonly #s;

  /** Creates or adopts the tables; throws DatabaseError when that fails. */
  constructor(db: Database) {
    applyMigrations(db, DEVICETWIN_SCHEMA_MODULE, DEVICETWIN_MIGRATIONS);
    this.#db = db;
    this.#s = {
      devices: db.prepare('SELECT id, name, description, state, last_online FROM device'),
      device: db.prepare('SELECT id, name, description, state, last_online FROM device WHERE id = ?'),
      twinsOf: db.prepare(`SELECT id, ${TWIN_COLS} FROM device_twin WHERE deviceid = ? ORDER BY id`),
      attrsOf: db.prepare('SELECT * FROM device_attr WHERE deviceid = ? ORDER BY id'),
      upsertDevice: db.prepare(`INSERT INTO device (id, name, description, state, last_online) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET name = excluded.name, description = excluded.description, state = excluded.state, last_online = excluded.last_online`),
      deleteDevice: db.prepare('DELETE FROM device WHERE id = ?'),
      deleteTwinsOf: db.prepare('DELETE FROM device_twin WHERE deviceid = ?'),
      deleteAttrsOf: db.prepare('DELETE FROM device_attr WHERE deviceid = ?'),
      insertTwin: db.prepare(`INSERT INTO device_twin (deviceid, ${TWIN_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      updateTwin: db.prepare(`UPDATE device_twin SET ${TWIN_COLS.split(', ').map((c) => `${c} = ?`).join(', ')} WHERE id = ?`),
      deleteTwin: db.prepare('DELETE FROM device_twin WHERE id = ?'),
      insertAttr: db.prepare('INSERT INTO device_attr (deviceid, name, description, value, optional, attr_type, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      updateAttr: db.prepare('UPDATE device_attr SET name = ?, description = ?, value = ?, optional = ?, attr_type = ?, metadata = ? WHERE id = ?'),
      mark: db.prepare('INSERT OR IGNORE INTO device_twin_pending (deviceid, kind, name) VALUES (?, ?, ?)'),
      pending: db.prepare('SELECT deviceid, kind, name FROM device_twin_pending ORDER BY seq'),
      unmark: db.prepare('DELETE FROM device_twin_pending WHERE deviceid = ? AND kind = ?'),
    };
  }

  loadAll(): DeviceEntry[] {
    return guardDatabase('read', () => (this.#s.devices.all() as Row[]).map((r) => this.#withChildren(r)).filter((d) => d !== undefined));
  }

  loadDevice(id: string): DeviceEntry | undefined {
    return guardDatabase('read', () => {
      const row = this.#s.device.get(id) as Row | undefined;
      return row ? this.#withChildren(row) : undefined;
    });
  }

  #withChildren(r: Row): DeviceEntry | undefined {
    const id = text(r['id']);
    const parts = splitDeviceId(id);
    if (!parts) return undefined;
    const twins = (this.#s.twinsOf.all(id) as Row[]).map(twinFromRow);
    const attrs = (this.#s.attrsOf.all(id) as Row[]).map(attrFromRow);
    return {
      id, ...parts, name: text(r['name']) || parts.name, description: text(r['description']),
      state: text(r['state']), lastOnline: text(r['last_online']),
      twins: new Map(twins.map((t) => [t.name, t])), attributes: new Map(attrs.map((a) => [a.name, a])),
    };
  }

  /** Writes `set` in one transaction; returns the number of rows written. Throws DatabaseError. */
  commit(set: CommitSet): number {
    return guardDatabase('write', () => this.#db.transaction(() => this.#write(set))());
  }

  #write(set: CommitSet): number {
    const s = this.#s;
    let rows = 0;
    // Removals first: a device removed and added again in one batch gets fresh rows.
    for (const id of set.removedDevices) {
      rows += s.deleteTwinsOf.run(id).changes + s.deleteAttrsOf.run(id).changes + s.deleteDevice.run(id).changes;
    }
    for (const rowId of set.removedTwinRows) rows += s.deleteTwin.run(rowId).changes;
    for (const d of set.devices) rows += s.upsertDevice.run(d.id, d.name, d.description, d.state, d.lastOnline).changes;
    for (const { deviceId, twin } of set.twins) {
      if (twin.rowId === undefined) twin.rowId = Number(s.insertTwin.run(deviceId, ...twinParams(twin)).lastInsertRowid);
      else s.updateTwin.run(...twinParams(twin), twin.rowId);
      rows += 1;
    }
    for (const { deviceId, attr: a } of set.attrs) {
      const params = [a.name, a.description, a.value, a.optional ? 1 : 0, a.attrType, a.metadata];
      if (a.rowId === undefined) a.rowId = Number(s.insertAttr.run(deviceId, ...params).lastInsertRowid);
      else s.updateAttr.run(...params, a.rowId);
      rows += 1;
    }
    for (const m of set.marks) s.mark.run(m.deviceId, m.kind, m.name);
    return rows;
  }

  /** Changes not yet reported to the cloud, oldest first. */
  pending(): PendingKey[] {
    return guardDatabase('read', () =>
      (this.#s.pending.all() as Row[]).map((r) => ({ deviceId: text(r['deviceid']), kind: r['kind'] === 'state' ? 'state' : 'twin', name: text(r['name']) })),
    );
  }

  /** Runs `fn` (which may enqueue to the outbox in the same database) and forgets the reported keys with it. */
  reported<T>(groups: readonly { deviceId: string; kind: PendingKind }[], fn: () => T): T {
    return guardDatabase('write', () =>
      this.#db.transaction(() => {
        const out = fn();
        for (const g of groups) this.#s.unmark.run(g.deviceId, g.kind);
        return out;
      })(),
    );
  }
}
