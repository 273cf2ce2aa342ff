// Device admission, the embedded counterpart of KubeEdge's validating webhook for devices.kubeedge.io: a
// Device or DeviceModel written through create, update, patch or apply (dry runs included) must pass the
// rules of api/device-validation, or the write is a 422 Invalid and nothing is stored. A Device is checked
// against the DeviceModel of the same namespace as stored now. A DeviceModel change that leaves existing
// devices invalid is allowed, as in KubeEdge; so that such a device can still get labels, finalizers or
// status, an update that leaves everything but metadata and status unchanged is not checked again.
import {
  DEVICES_GROUP, validateDevice, validateDeviceModel, type Device, type DeviceModel, type KubeObject, type StatusCause,
} from '../../api/index.js';
import { errors } from '../errors.js';
import { storageResource } from '../registry/index.js';
import type { Env } from './env.js';
import { specChanged } from './object-meta.js';
import type { Resolved } from './resolve.js';

const modelsKey = storageResource({ group: DEVICES_GROUP, resource: 'devicemodels' });

function deviceCauses(env: Env, device: KubeObject): StatusCause[] {
  const ref: unknown = (device.spec as { deviceModelRef?: unknown } | undefined)?.deviceModelRef;
  const modelName = typeof ref === 'object' && ref !== null ? (ref as { name?: unknown }).name : undefined;
  const model = typeof modelName === 'string' && modelName !== ''
    ? env.store.get(modelsKey, device.metadata.namespace ?? '', modelName)
    : undefined;
  return validateDevice(device as unknown as Device, model as unknown as DeviceModel | undefined);
}

/** Throws a 422 when `obj` (about to be created, or to replace `old`) is not an admissible device object. */
export function admitDeviceWrite(env: Env, r: Resolved, obj: KubeObject, old?: KubeObject): void {
  if (r.def.group !== DEVICES_GROUP) return;
  if (r.def.resource !== 'devices' && r.def.resource !== 'devicemodels') return;
  if (old && !specChanged(old, obj)) return;
  const causes = r.def.resource === 'devices' ? deviceCauses(env, obj) : validateDeviceModel(obj as unknown as DeviceModel);
  if (causes.length === 0) return;
  const name = obj.metadata.name;
  throw errors.invalid(r.def.kind, r.def.group, typeof name === 'string' ? name : '', causes);
}
