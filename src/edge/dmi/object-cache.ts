// dmi's copy of this node's devices and models (KubeEdge's dmicache): the last version each mapper
// call was decided on, so an upsert can be told apart as insert or update, an update that leaves the
// spec as it was is skipped, and a delete still knows the protocol of what it deletes.
import { deviceId, type Device, type DeviceModel } from '../../api/index.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asObject<T extends Device | DeviceModel>(v: unknown): T | undefined {
  if (!isRecord(v) || !isRecord(v['metadata']) || typeof v['metadata']['name'] !== 'string' || v['metadata']['name'] === '') return undefined;
  return { ...v, spec: isRecord(v['spec']) ? v['spec'] : {} } as unknown as T;
}

export const asDevice = (v: unknown): Device | undefined => asObject<Device>(v);
export const asModel = (v: unknown): DeviceModel | undefined => asObject<DeviceModel>(v);

/** namespace/name; devices and models are namespaced, an unset namespace is "default". */
export function keyOf(namespace: string | null | undefined, name: string): string {
  return deviceId(namespace || 'default', name);
}

export function objectKey(o: Device | DeviceModel): string {
  return keyOf(o.metadata.namespace, o.metadata.name ?? '');
}

export function modelKeyOf(device: Device): string | undefined {
  const ref = device.spec.deviceModelRef?.name;
  return ref ? keyOf(device.metadata.namespace, ref) : undefined;
}

/** The protocol that picks the device's mapper: its own, else its model's (as deviceToDmi sends it). */
export function protocolOf(device: Device, model: DeviceModel | undefined): string {
  return device.spec.protocol?.protocolName || model?.spec.protocol || '';
}

/** JSON with object keys sorted and named lists sorted by name: equal specs give equal text. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) => {
    if (Array.isArray(val) && val.every((x) => isRecord(x) && typeof x['name'] === 'string')) {
      return [...(val as Record<string, string>[])].sort((a, b) => (a['name'] ?? '').localeCompare(b['name'] ?? ''));
    }
    if (isRecord(val)) return Object.fromEntries(Object.keys(val).sort().map((k) => [k, val[k]]));
    return val;
  });
}

/** KubeEdge's CompareDeviceSpecHasChanged, for devices and models alike. */
export function specChanged(a: Device | DeviceModel, b: Device | DeviceModel): boolean {
  return canonical(a.spec) !== canonical(b.spec);
}

export class ObjectCache {
  private readonly devices = new Map<string, Device>();
  private readonly models = new Map<string, DeviceModel>();
  /** Devices whose last call did not reach their mapper, or that wait for their model. */
  readonly pending = new Set<string>();

  constructor(private readonly nodeName: string) {}

  /** Devices bound to another node are not ours (metamanager should not hold any). */
  isOurs(device: Device): boolean {
    return !device.spec.nodeName || device.spec.nodeName === this.nodeName;
  }

  device(key: string): Device | undefined {
    return this.devices.get(key);
  }

  putDevice(device: Device): void {
    this.devices.set(objectKey(device), device);
  }

  removeDevice(key: string): void {
    this.devices.delete(key);
    this.pending.delete(key);
  }

  model(key: string): DeviceModel | undefined {
    return this.models.get(key);
  }

  modelOf(device: Device): DeviceModel | undefined {
    const key = modelKeyOf(device);
    return key === undefined ? undefined : this.models.get(key);
  }

  putModel(model: DeviceModel): void {
    this.models.set(objectKey(model), model);
  }

  removeModel(key: string): void {
    this.models.delete(key);
  }

  allDevices(): Device[] {
    return [...this.devices.values()];
  }

  devicesOfProtocol(protocol: string): Device[] {
    return this.allDevices().filter((d) => protocolOf(d, this.modelOf(d)) === protocol);
  }

  devicesOfModel(modelKey: string): Device[] {
    return this.allDevices().filter((d) => modelKeyOf(d) === modelKey);
  }
}
