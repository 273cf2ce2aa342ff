// The mapper's devices and models (KubeEdge mapper-framework's DevPanel): a model cache, and one
// DeviceRunner per device, created, updated and removed as edgecore says.
import type { DeviceModelMsg, DeviceMsg } from '../../api/dmi/index.js';
import type { Logger } from '../../core/index.js';
import { DeviceRunner, type DeviceRunnerDeps } from './device-runner.js';
import { buildMapperDevice, modelIdOf, resourceId } from './device-spec.js';
import { DmiRequestError } from './errors.js';
import type { MapperDevice } from './types.js';

interface Entry {
  msg: DeviceMsg;
  runner: DeviceRunner;
}

export class DeviceRegistry {
  private readonly models = new Map<string, DeviceModelMsg>();
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly deps: DeviceRunnerDeps,
    private readonly log: Logger,
  ) {}

  /** After MapperRegister: edgecore's lists are the truth; devices it no longer lists are stopped. */
  async sync(devices: readonly DeviceMsg[], models: readonly DeviceModelMsg[]): Promise<void> {
    for (const m of models) this.putModel(m);
    const keep = new Set<string>();
    for (const d of devices) {
      try {
        this.upsertDevice(d);
        keep.add(resourceId(d.namespace ?? '', d.name ?? ''));
      } catch (err) {
        this.log.warn('device skipped', { device: d.name, error: err instanceof Error ? err.message : String(err) });
      }
    }
    for (const id of [...this.entries.keys()]) if (!keep.has(id)) await this.removeById(id);
  }

  putModel(m: DeviceModelMsg): void {
    if (!m.name) throw new DmiRequestError('invalid_argument', 'device model has no name');
    this.models.set(resourceId(m.namespace ?? '', m.name), m);
  }

  /** UpdateDeviceModel: the model's devices pick up new types and access modes (no reconnect). */
  updateModel(m: DeviceModelMsg): void {
    this.putModel(m);
    for (const { msg } of this.entries.values()) {
      if (msg.spec?.deviceModelReference === m.name && (msg.namespace ?? '') === (m.namespace ?? '')) this.upsertDevice(msg);
    }
  }

  removeModel(namespace: string, name: string): void {
    this.models.delete(resourceId(namespace, name));
  }

  hasModelFor(d: DeviceMsg): boolean {
    return this.modelFor(d) !== undefined;
  }

  /** RegisterDevice and UpdateDevice. Throws DmiRequestError for an unknown model or a nameless device. */
  upsertDevice(d: DeviceMsg): MapperDevice {
    const model = this.modelFor(d);
    if (!model) {
      throw new DmiRequestError('not_found', `deviceModel ${d.spec?.deviceModelReference ?? ''} in namespace ${d.namespace ?? ''} not found`);
    }
    const device = buildMapperDevice(d, model);
    const id = resourceId(device.namespace, device.name);
    const existing = this.entries.get(id);
    if (existing) {
      existing.msg = d;
      existing.runner.update(device);
      this.log.info('device updated', { device: id });
    } else {
      const runner = new DeviceRunner(device, this.deps);
      this.entries.set(id, { msg: d, runner });
      runner.start();
      this.log.info('device registered', { device: id, protocol: device.protocol.protocolName, properties: device.properties.length });
    }
    return device;
  }

  async remove(namespace: string, name: string): Promise<boolean> {
    return this.removeById(resourceId(namespace, name));
  }

  /** The device as edgecore sent it, with status twins of the last values read. */
  get(namespace: string, name: string): DeviceMsg | undefined {
    const e = this.entries.get(resourceId(namespace, name));
    if (!e) return undefined;
    return { ...e.msg, status: { ...(e.msg.status ?? {}), twins: e.runner.twins() } };
  }

  /** The runner of a device (the HTTP API reads and writes through it), or undefined. */
  runner(namespace: string, name: string): DeviceRunner | undefined {
    return this.entries.get(resourceId(namespace, name))?.runner;
  }

  /** The model of a registered device, as edgecore sent it, or undefined. */
  modelOfDevice(namespace: string, name: string): DeviceModelMsg | undefined {
    const e = this.entries.get(resourceId(namespace, name));
    return e && this.modelFor(e.msg);
  }

  devices(): MapperDevice[] {
    return [...this.entries.values()].map((e) => e.runner.device);
  }

  lastValues(namespace: string, name: string): Record<string, string> {
    return this.entries.get(resourceId(namespace, name))?.runner.lastValues() ?? {};
  }

  async stopAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.runner.stop()));
  }

  private async removeById(id: string): Promise<boolean> {
    const e = this.entries.get(id);
    if (!e) return false;
    this.entries.delete(id);
    await e.runner.stop();
    this.log.info('device removed', { device: id });
    return true;
  }

  private modelFor(d: DeviceMsg): DeviceModelMsg | undefined {
    const ref = d.spec?.deviceModelReference ?? '';
    // edgecore may leave a model's namespace empty; the device's namespace is tried first.
    return this.models.get(modelIdOf(d)) ?? this.models.get(resourceId('', ref));
  }
}
