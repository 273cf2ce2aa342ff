// Group commit: every change of one event-loop turn goes into one Batch, written in one SQLite
// transaction; what depends on the write being durable (results, documents, deltas, membership
// events) runs after it, in the order the requests came, with ok = false when the write failed.
import type { DealResult } from './deal-result.js';
import type { PendingKey } from './twin-store.js';
import type { AttrEntry, DeviceEntry, TwinEntry } from './twin-state.js';

export type AfterCommit = (ok: boolean) => void;

export class Batch {
  readonly removedDevices = new Set<string>();
  readonly removedTwinRows: number[] = [];
  /** Device rows to write from memory, by id. */
  readonly devices = new Set<string>();
  /** Twin rows to write from memory: entry → device id. */
  readonly twins = new Map<TwinEntry, string>();
  readonly attrs = new Map<AttrEntry, string>();
  readonly marks: PendingKey[] = [];
  /** Devices to reload from SQLite when the write fails (the memory copy is then ahead of the file). */
  readonly touched = new Set<string>();
  readonly after: AfterCommit[] = [];
  /** Requests staged; the batch is written early when it grows large. */
  ops = 0;
  /** Set by changes derived from Device objects: a failed write is repaired by a resync. */
  needsResyncOnFailure = false;

  /** Stages the rows of a deal and the twins it reports. */
  addDeal(device: DeviceEntry, deal: DealResult): void {
    this.touched.add(device.id);
    for (const twin of deal.written) this.twins.set(twin, device.id);
    for (const twin of deal.removed) {
      this.twins.delete(twin);
      if (twin.rowId !== undefined) this.removedTwinRows.push(twin.rowId);
    }
    for (const name of deal.report) this.marks.push({ deviceId: device.id, kind: 'twin', name });
  }

  /** Stages the device row; with `children`, its twin and attribute rows too (a new device). */
  addDevice(device: DeviceEntry, children = false): void {
    this.touched.add(device.id);
    this.devices.add(device.id);
    if (!children) return;
    for (const twin of device.twins.values()) this.twins.set(twin, device.id);
    for (const attr of device.attributes.values()) this.attrs.set(attr, device.id);
  }

  removeDevice(id: string): void {
    this.touched.add(id);
    this.removedDevices.add(id);
  }
}
