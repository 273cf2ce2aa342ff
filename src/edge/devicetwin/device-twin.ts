// devicetwin: the edge's device twins (KubeEdge edge/pkg/devicetwin). Device apps talk to it over MQTT
// (through eventbus), mappers through dmi, the cloud through edgehub. Twins live in memory and in
// SQLite (device, device_attr, device_twin); changes of one event-loop turn are written in one
// transaction and answered after it commits; reports to the cloud are coalesced (cloud-reports.ts).
import { randomUUID } from 'node:crypto';
import type { Logger, Message, MsgTwin } from '../../core/index.js';
import { parseTopic } from '../../core/index.js';
import type { Database } from '../dbm/index.js';
import { handleCloudMessage } from './cloud-handlers.js';
import { CloudReports } from './cloud-reports.js';
import { TwinEngine } from './engine.js';
import { TwinRequestError } from './errors.js';
import { onMembershipGet, onStateUpdate, onTwinGet, onTwinUpdate, stageStateUpdate, stageTwinUpdate } from './mqtt-handlers.js';
import { ObjectSync } from './object-sync.js';
import { TwinStore } from './twin-store.js';
import type { DeviceObjectStore, DeviceTwinMetrics, ReportedTwin, TwinBus, TwinHub, TwinReports } from './types.js';
import { isValidTwinKey, isValidTwinValue } from './validation.js';

export interface DeviceTwinOptions {
  /** The shared edgecore.db; devicetwin creates its tables, never closes it. */
  db: Database;
  nodeName: string;
  bus: TwinBus;
  hub: TwinHub;
  store: DeviceObjectStore;
  log: Logger;
  now?: () => number;
  newId?: () => string;
  /** Larger MQTT payloads get a 400 result; default 64 KiB. */
  maxPayloadBytes?: number;
  /** How often pending reports go to the cloud while connected, in ms; default 200. */
  flushIntervalMs?: number;
  /** How long after a failed write of Device-object changes they are tried again, in ms; default 1000. */
  resyncDelayMs?: number;
}

type Lifecycle = 'created' | 'running' | 'stopped';

export class DeviceTwin implements TwinReports {
  readonly #log: Logger;
  readonly #objects: DeviceObjectStore;
  readonly #store: TwinStore;
  readonly #engine: TwinEngine;
  readonly #reports: CloudReports;
  readonly #sync: ObjectSync;
  readonly #resyncDelayMs: number;
  #state: Lifecycle = 'created';
  #unsubscribe: (() => void) | undefined;
  #resync: NodeJS.Timeout | undefined;

  /** Creates or adopts the device tables; throws DatabaseError when that fails. */
  constructor(opts: DeviceTwinOptions) {
    const newId = opts.newId ?? randomUUID;
    this.#log = opts.log;
    this.#objects = opts.store;
    this.#resyncDelayMs = opts.resyncDelayMs ?? 1000;
    this.#store = new TwinStore(opts.db);
    this.#engine = new TwinEngine({
      store: this.#store, bus: opts.bus, log: opts.log, nodeName: opts.nodeName, now: opts.now ?? Date.now, newId,
      maxPayloadBytes: opts.maxPayloadBytes ?? 64 * 1024, maxBatchOps: 2000,
      onCommitted: (marks) => this.#reports.add(marks),
      onResyncNeeded: () => this.#scheduleResync(),
    });
    this.#reports = new CloudReports({
      engine: this.#engine, store: this.#store, hub: opts.hub, log: opts.log, intervalMs: opts.flushIntervalMs ?? 200, newId,
    });
    this.#sync = new ObjectSync(this.#engine, opts.store);
  }

  /** Loads the twins and pending reports from SQLite, then aligns the devices with the Device objects. */
  start(): void {
    if (this.#state !== 'created') return;
    this.#engine.load();
    this.#reports.add(this.#store.pending());
    this.#sync.reconcileAll();
    this.#engine.commit();
    this.#unsubscribe = this.#objects.onChange((change) => this.#guard('store change', () => this.#sync.onChange(change)));
    this.#state = 'running';
    this.#log.info('started', { devices: this.#engine.devices.size, pendingReports: this.#reports.size });
  }

  /** Writes what is staged (and answers it); pending reports stay in SQLite for the next start. */
  stop(): void {
    if (this.#state !== 'running') return;
    this.#state = 'stopped';
    this.#unsubscribe?.();
    if (this.#resync) clearTimeout(this.#resync);
    this.#engine.commit();
    this.#reports.stop();
    this.#log.info('stopped', { devices: this.#engine.devices.size });
  }

  /** An MQTT message from eventbus. Never throws. */
  handleMqtt(topic: string, payload: Buffer): void {
    if (this.#state !== 'running') return;
    this.#engine.metrics.mqttReceived += 1;
    this.#guard('mqtt message', () => {
      const t = parseTopic(topic);
      if (t.kind === 'device') {
        if (t.event === 'twin/update') onTwinUpdate(this.#engine, t.namespace, t.name, payload);
        else if (t.event === 'twin/get') onTwinGet(this.#engine, t.namespace, t.name, payload);
        else if (t.event === 'state/update') onStateUpdate(this.#engine, t.namespace, t.name, payload);
      } else if (t.kind === 'membership' && t.event === 'membership/get') {
        onMembershipGet(this.#engine, t.node, payload);
      }
    });
  }

  /** A group "twin" message from edgehub; true when devicetwin handled it. */
  handleCloud(msg: Message): boolean {
    if (this.#state !== 'running') return false;
    return this.#guard('cloud message', () => handleCloudMessage(this.#engine, this.#objects, msg)) ?? true;
  }

  /** The link is up: pending reports go out now. */
  onLinkConnected(): void {
    if (this.#state === 'running') this.#guard('flush', () => this.#reports.flush());
  }

  /** ReportDeviceStatus of a mapper: a twin/update with actual values, without a result topic. */
  reportTwins(namespace: string, name: string, twins: readonly ReportedTwin[]): void {
    if (this.#state !== 'running') return;
    this.#guard('twin report', () => {
      const device = this.#engine.devices.get(`${namespace}/${name}`);
      if (!device) return this.#refuse('twin report for an unknown device', namespace, name);
      const update: Record<string, MsgTwin> = {};
      for (const t of twins) {
        const value = t.reported?.value;
        if (value === undefined) continue;
        if (!isValidTwinKey(t.propertyName) || !isValidTwinValue(value)) this.#refuse('twin report with an invalid name or value', namespace, name, t.propertyName);
        else update[t.propertyName] = { actual: { value } };
      }
      const answer = (ok: boolean): void => void (ok || this.#log.warn('twin report not stored', { device: device.id }));
      try {
        stageTwinUpdate(this.#engine, device, update, '', answer);
      } catch (err) {
        if (!(err instanceof TwinRequestError)) throw err;
        // One bad property must not hold back the others (KubeEdge handles each property on its own).
        for (const [key, twin] of Object.entries(update)) {
          try {
            stageTwinUpdate(this.#engine, device, { [key]: twin }, '', answer);
          } catch (e) {
            if (!(e instanceof TwinRequestError)) throw e;
            this.#refuse(e.message, namespace, name, key);
          }
        }
      }
    });
  }

  /** ReportDeviceStates of a mapper: a state/update without a result topic. */
  reportState(namespace: string, name: string, state: string): void {
    if (this.#state !== 'running') return;
    this.#guard('state report', () => {
      const device = this.#engine.devices.get(`${namespace}/${name}`);
      if (!device) return this.#refuse('state report for an unknown device', namespace, name);
      try {
        stageStateUpdate(this.#engine, device, state, '', (ok) => void (ok || this.#log.warn('state report not stored', { device: device.id })));
      } catch (err) {
        if (!(err instanceof TwinRequestError)) throw err;
        this.#refuse(err.message, namespace, name);
      }
    });
  }

  metrics(): DeviceTwinMetrics {
    return { ...this.#engine.metrics };
  }

  #refuse(reason: string, namespace: string, name: string, property?: string): void {
    this.#engine.metrics.rejected += 1;
    this.#log.debug('report refused', { reason, device: `${namespace}/${name}`, ...(property ? { property } : {}) });
  }

  #guard<T>(what: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      this.#log.error(`${what} failed`, { error: String(err) });
      return undefined;
    }
  }

  #scheduleResync(): void {
    if (this.#resync || this.#state !== 'running') return;
    this.#resync = setTimeout(() => {
      this.#resync = undefined;
      this.#guard('resync', () => this.#sync.reconcileAll());
    }, this.#resyncDelayMs);
  }
}
