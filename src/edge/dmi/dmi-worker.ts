// KubeEdge's dmiworker: store changes of devices and models become mapper calls. A new device is
// registered, a device whose spec changed is updated, a deleted one removed; models are created,
// updated and removed on the mappers that need them. A call that fails is logged and never thrown:
// the device is sent again when its mapper registers (MapperRegister), or when its model arrives.
import type { Device, DeviceModel } from '../../api/index.js';
import type { Logger } from '../../core/index.js';
import { DmiError } from './errors.js';
import type { MapperCalls } from './mapper-calls.js';
import {
  asDevice, asModel, keyOf, modelKeyOf, objectKey, protocolOf, specChanged, type ObjectCache,
} from './object-cache.js';
import type { DmiMetrics, DmiObjectChange, DmiObjectStore } from './types.js';

/** The parts of a model a device's overridden form depends on. */
function defaultsOf(m: DeviceModel): string {
  return JSON.stringify([m.spec.protocol, m.spec.protocolConfigData, (m.spec.properties ?? []).map((p) => [p.name, p.visitors])]);
}

export class DmiWorker {
  constructor(
    private readonly cache: ObjectCache,
    private readonly calls: MapperCalls,
    private readonly log: Logger,
    private readonly metrics: DmiMetrics,
    /** false: keep the cache only (devicetwin drives the mappers through MapperPort). */
    private readonly drive: boolean,
  ) {}

  /** Loads what the store holds; no calls (mappers get it when they register). */
  seed(store: DmiObjectStore): void {
    for (const o of store.list('devicemodel')) {
      const m = asModel(o);
      if (m) this.cache.putModel(m);
    }
    for (const o of store.list('device')) {
      const d = asDevice(o);
      if (d && this.cache.isOurs(d)) this.cache.putDevice(d);
    }
  }

  onChange(change: DmiObjectChange): void {
    try {
      if (change.type === 'device') this.onDevice(change);
      else if (change.type === 'devicemodel') this.onModel(change);
    } catch (err) {
      // A bad object must not take the store's notifier down with it.
      this.log.error('device change not handled', { type: change.type, name: change.name, error: String(err) });
    }
  }

  private onDevice(change: DmiObjectChange): void {
    const key = keyOf(change.namespace, change.name);
    const old = this.cache.device(key);
    const dev = change.op === 'upsert' ? asDevice(change.object) : undefined;
    if (change.op === 'upsert' && !dev) {
      this.log.warn('device ignored: not a Device object', { device: key });
      return;
    }
    if (!dev || !this.cache.isOurs(dev)) {
      this.cache.removeDevice(key);
      if (old && this.drive) this.settle(old, 'RemoveDevice', this.calls.removeDevice(old));
      return;
    }
    this.cache.putDevice(dev);
    if (!this.drive) return;
    if (!old) return this.register(dev);
    const model = this.cache.modelOf(dev);
    if (protocolOf(old, this.cache.modelOf(old)) !== protocolOf(dev, model)) {
      // A device that moves to another protocol moves to another mapper.
      this.settle(old, 'RemoveDevice', this.calls.removeDevice(old));
      return this.register(dev);
    }
    if (this.cache.pending.has(key) && !this.hasModel(dev)) return;
    if (specChanged(old, dev)) this.update(dev);
  }

  private onModel(change: DmiObjectChange): void {
    const key = keyOf(change.namespace, change.name);
    const old = this.cache.model(key);
    if (change.op === 'delete') {
      this.cache.removeModel(key);
      const gone = old ?? asModel(change.object);
      if (gone && this.drive) this.settleModel(gone, 'RemoveDeviceModel', this.calls.removeDeviceModel(gone));
      return;
    }
    const model = asModel(change.object);
    if (!model) {
      this.log.warn('device model ignored: not a DeviceModel object', { model: key });
      return;
    }
    this.cache.putModel(model);
    if (!this.drive) return;
    if (!old) this.settleModel(model, 'CreateDeviceModel', this.calls.createDeviceModel(model));
    else if (specChanged(old, model)) {
      this.settleModel(model, 'UpdateDeviceModel', this.calls.updateDeviceModel(model));
      // Its devices carry the model's visitor defaults: they change with it.
      if (defaultsOf(old) !== defaultsOf(model)) {
        for (const d of this.cache.devicesOfModel(key)) if (!this.cache.pending.has(objectKey(d))) this.update(d);
      }
    }
    for (const d of this.cache.devicesOfModel(key)) if (this.cache.pending.has(objectKey(d))) this.register(d);
  }

  private hasModel(dev: Device): boolean {
    return modelKeyOf(dev) === undefined || this.cache.modelOf(dev) !== undefined;
  }

  /** RegisterDevice, or wait for the model when the device names one we do not have. */
  register(dev: Device): void {
    const key = objectKey(dev);
    if (!this.hasModel(dev)) {
      this.cache.pending.add(key);
      this.log.info('device waits for its model', { device: key, model: dev.spec.deviceModelRef?.name });
      return;
    }
    this.settle(dev, 'RegisterDevice', this.calls.registerDevice(dev, this.cache.modelOf(dev)));
  }

  private update(dev: Device): void {
    this.settle(dev, 'UpdateDevice', this.calls.updateDevice(dev, this.cache.modelOf(dev)));
  }

  /** Every device of the protocol, to a mapper that registered without asking for data. */
  resendAll(protocol: string): number {
    const devices = this.cache.devicesOfProtocol(protocol);
    for (const d of devices) {
      this.metrics.resends++;
      this.register(d);
    }
    return devices.length;
  }

  private settle(dev: Device, method: string, p: Promise<void>): void {
    const key = objectKey(dev);
    p.then(
      () => {
        if (method !== 'RemoveDevice') this.cache.pending.delete(key);
      },
      (err: unknown) => {
        if (method !== 'RemoveDevice' && this.cache.device(key)) this.cache.pending.add(key);
        this.logFailure(method, { device: key }, err);
      },
    );
  }

  private settleModel(model: DeviceModel, method: string, p: Promise<void>): void {
    p.catch((err: unknown) => this.logFailure(method, { model: objectKey(model) }, err));
  }

  private logFailure(method: string, fields: Record<string, string>, err: unknown): void {
    const code = err instanceof DmiError ? err.code : 'Unknown';
    const error = err instanceof Error ? err.message : String(err);
    // No mapper yet, or dmi stopping: expected, and the device goes out when one registers.
    if (code === 'NoMapper' || code === 'Stopped') this.log.debug('mapper call deferred', { method, ...fields, code, error });
    else this.log.warn('mapper call failed', { method, ...fields, code, error });
  }
}
