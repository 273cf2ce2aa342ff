// The state devicetwin's handlers share: the in-memory devices, the open write batch and its commit,
// and publishing. One engine per DeviceTwin; nothing here is module-level.
import type { Logger } from '../../core/index.js';
import type { DeviceTwinMetrics, TwinBus } from './types.js';
import type { PendingKey, TwinStore } from './twin-store.js';
import type { DeviceEntry } from './twin-state.js';
import type { Base } from './twin-payloads.js';
import { Batch } from './write-batch.js';

export interface EngineDeps {
  store: TwinStore;
  bus: TwinBus;
  log: Logger;
  nodeName: string;
  now: () => number;
  newId: () => string;
  maxPayloadBytes: number;
  /** A batch with this many requests is written at once instead of at the end of the turn. */
  maxBatchOps: number;
  /** After a successful write: the keys now pending a report to the cloud. */
  onCommitted: (marks: readonly PendingKey[]) => void;
  /** After a failed write of changes derived from Device objects. */
  onResyncNeeded: () => void;
}

export function zeroMetrics(): DeviceTwinMetrics {
  return { mqttReceived: 0, twinUpdates: 0, rejected: 0, cloudReports: 0, dbWrites: 0, dbBatches: 0 };
}

export class TwinEngine {
  readonly devices = new Map<string, DeviceEntry>();
  readonly metrics = zeroMetrics();
  readonly #d: EngineDeps;
  #batch: Batch | undefined;
  #immediate: NodeJS.Immediate | undefined;

  constructor(deps: EngineDeps) {
    this.#d = deps;
  }

  get nodeName(): string {
    return this.#d.nodeName;
  }
  get log(): Logger {
    return this.#d.log;
  }
  get maxPayloadBytes(): number {
    return this.#d.maxPayloadBytes;
  }
  now(): number {
    return this.#d.now();
  }

  /** event_id + timestamp; a fresh id when the request carried none. */
  base(eventId?: string): Base {
    return { event_id: eventId || this.#d.newId(), timestamp: this.#d.now() };
  }

  load(): void {
    this.devices.clear();
    for (const d of this.#d.store.loadAll()) this.devices.set(d.id, d);
  }

  /** The open batch for one more request; written at the end of this turn (or now, when it is full). */
  stage(): Batch {
    if (this.#batch && this.#batch.ops >= this.#d.maxBatchOps) this.commit();
    if (!this.#batch) {
      this.#batch = new Batch();
      this.#immediate = setImmediate(() => this.commit());
    }
    this.#batch.ops += 1;
    return this.#batch;
  }

  /**
   * Publishes now, or after the open batch when there is one, so answers keep the order of requests.
   * A function payload is built at that moment: reads then show only what is committed.
   */
  reply(topic: string, payload: unknown): void {
    const send = (): void => this.publish(topic, typeof payload === 'function' ? (payload as () => unknown)() : payload);
    if (this.#batch) this.#batch.after.push(send);
    else send();
  }

  publish(topic: string, payload: unknown): void {
    try {
      this.#d.bus.publish(topic, JSON.stringify(payload), { qos: 1 });
    } catch (err) {
      this.#d.log.warn('publish failed', { topic, error: String(err) });
    }
  }

  /** Writes the open batch, then runs its after-commit steps. Never throws. */
  commit(): void {
    const b = this.#batch;
    this.#batch = undefined;
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#immediate = undefined;
    if (!b) return;
    const marks = b.marks.filter((m) => this.devices.has(m.deviceId));
    let ok = true;
    try {
      this.metrics.dbWrites += this.#d.store.commit(this.#commitSet(b, marks));
      this.metrics.dbBatches += 1;
    } catch (err) {
      ok = false;
      this.#d.log.error('write failed', { requests: b.ops, error: String(err) });
      this.#reload(b.touched);
    }
    if (ok) this.#d.onCommitted(marks);
    for (const fn of b.after) {
      try {
        fn(ok);
      } catch (err) {
        this.#d.log.error('after-commit step failed', { error: String(err) });
      }
    }
    if (!ok && b.needsResyncOnFailure) this.#d.onResyncNeeded();
  }

  #commitSet(b: Batch, marks: PendingKey[]): Parameters<TwinStore['commit']>[0] {
    const attached = <T extends { name: string }>(entry: T, id: string, pick: (d: DeviceEntry) => Map<string, T>): boolean => {
      const d = this.devices.get(id);
      return d !== undefined && pick(d).get(entry.name) === entry;
    };
    return {
      removedDevices: [...b.removedDevices],
      removedTwinRows: b.removedTwinRows,
      devices: [...b.devices].map((id) => this.devices.get(id)).filter((d) => d !== undefined),
      twins: [...b.twins].filter(([t, id]) => attached(t, id, (d) => d.twins)).map(([twin, deviceId]) => ({ deviceId, twin })),
      attrs: [...b.attrs].filter(([a, id]) => attached(a, id, (d) => d.attributes)).map(([attr, deviceId]) => ({ deviceId, attr })),
      marks,
    };
  }

  /** After a failed write the memory copy is ahead of SQLite: take the devices back from the file. */
  #reload(ids: Iterable<string>): void {
    for (const id of ids) {
      try {
        const d = this.#d.store.loadDevice(id);
        if (d) this.devices.set(id, d);
        else this.devices.delete(id);
      } catch (err) {
        this.#d.log.error('reload failed', { device: id, error: String(err) });
      }
    }
  }
}
