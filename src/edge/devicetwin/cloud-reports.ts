// Reports to the cloud, coalesced per device. A change marks (device, twin) or (device, state) as
// pending in device_twin_pending, in the same transaction as the change itself. While the link is up,
// the pending set is flushed every interval as one twin/edge_updated message per device carrying the
// latest values of its pending twins (and one state/update per device with its latest state), through
// the edgehub outbox. While it is down nothing is enqueued and nothing is lost: on reconnect the set goes
// out in the order of each device's first pending change.
// Why coalesce: DeviceStatus keeps only the latest reported value and state of each twin, so the values
// a twin had in between would be overwritten on arrival anyway; sending them would only fill the outbox
// (5,000 updates/s become at most one message per device per interval).
// Latency and backpressure: a change after a quiet period is flushed at once (leading edge), later ones
// within the interval wait for the next flush; the outbox holds at most maxBacklog unacked messages
// of ours (the link drains at messageQPS): a flush enqueues only the room left, in order of first
// change, and the rest keeps coalescing, so a flood costs the outbox a bounded number of rows instead
// of one per device per tick.
import { Groups, Modules, Operations, deviceStateUpdateResource, newMessage, toWireModule, twinEdgeUpdatedResource, type Logger, type Message } from '../../core/index.js';
import type { TwinEngine } from './engine.js';
import { stateReport, twinReport } from './twin-payloads.js';
import type { PendingKey, PendingKind, TwinStore } from './twin-store.js';
import type { TwinHub } from './types.js';

interface Group {
  deviceId: string;
  kind: PendingKind;
  names: Set<string>;
}

export interface CloudReportsDeps {
  engine: TwinEngine;
  store: TwinStore;
  hub: TwinHub;
  log: Logger;
  intervalMs: number;
  newId: () => string;
  /** Outbox rows above which reports wait; default 100. */
  maxBacklog?: number;
}

export class CloudReports {
  readonly #d: CloudReportsDeps;
  /** Insertion order = order of each group's first pending change. */
  readonly #pending = new Map<string, Group>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #lastFlushAt = 0;

  constructor(deps: CloudReportsDeps) {
    this.#d = deps;
  }

  get size(): number {
    return this.#pending.size;
  }

  add(keys: readonly PendingKey[]): void {
    for (const k of keys) {
      const key = `${k.kind}\u0000${k.deviceId}`;
      let g = this.#pending.get(key);
      if (!g) this.#pending.set(key, (g = { deviceId: k.deviceId, kind: k.kind, names: new Set() }));
      if (k.kind === 'twin') g.names.add(k.name);
    }
    this.schedule();
  }

  /** Arms the flush timer when something is pending and the link is up. */
  schedule(): void {
    if (this.#stopped || this.#timer || this.#pending.size === 0 || !this.#d.hub.isConnected()) return;
    const delay = Math.max(0, this.#lastFlushAt + this.#d.intervalMs - this.#d.engine.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.flush();
    }, delay);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Enqueues everything pending when the link is up; returns the number of messages enqueued. */
  flush(): number {
    if (this.#pending.size === 0 || !this.#d.hub.isConnected()) return 0;
    this.#lastFlushAt = this.#d.engine.now();
    // At most the room left in the outbox: one flush never stalls the event loop with a thousand
    // messages, and what stays pending keeps its place and keeps coalescing.
    const room = (this.#d.maxBacklog ?? 100) - (this.#d.hub.outboxDepth?.() ?? 0);
    if (room <= 0) {
      this.schedule();
      return 0;
    }
    // The reports carry values from memory: write the open batch first so they are durable.
    this.#d.engine.commit();
    const groups: Group[] = [];
    for (const g of this.#pending.values()) {
      if (groups.length >= room) break;
      groups.push(g);
    }
    const msgs = groups.map((g) => this.#message(g)).filter((m) => m !== undefined);
    try {
      this.#d.store.reported(groups, () => {
        for (const m of msgs) this.#d.hub.enqueue(m);
      });
    } catch (err) {
      this.#d.log.warn('cloud reports kept for the next flush', { pending: groups.length, error: String(err) });
      this.schedule();
      return 0;
    }
    for (const g of groups) this.#pending.delete(`${g.kind}\u0000${g.deviceId}`);
    this.#d.engine.metrics.cloudReports += msgs.length;
    this.schedule();
    return msgs.length;
  }

  /** The message of one group; undefined when the device (or every twin of it) is gone. */
  #message(g: Group): Message | undefined {
    const device = this.#d.engine.devices.get(g.deviceId);
    if (!device) return undefined;
    const base = this.#d.engine.base();
    const content = g.kind === 'twin' ? twinReport(base, device, g.names) : stateReport(base, device);
    if (!content) return undefined;
    return newMessage(
      {
        source: toWireModule(Modules.devicetwin),
        group: Groups.resource,
        operation: Operations.update,
        resource: g.kind === 'twin' ? twinEdgeUpdatedResource(device.namespace, device.name) : deviceStateUpdateResource(device.namespace, device.name),
        // KubeEdge's devicetwin sends the content as a JSON string.
        content: JSON.stringify(content),
      },
      { newId: this.#d.newId, now: () => this.#d.engine.now() },
    );
  }
}
