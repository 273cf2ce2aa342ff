// Device and DeviceModel objects (devices.kubeedge.io/v1beta1) as metamanager hands them over: plain
// JSON that may be malformed, so nothing here trusts a field's type. A device's twins are its
// properties: name = property name, type = the model property's type in lower case, desired value =
// the expected value. Twins a device app created itself (optional ones) are left alone.
import type { Device, DeviceModel } from '../../api/index.js';
import { type DealResult, emptyDeal, setSide } from './deal-result.js';
import { type DeviceEntry, bumpCloud, isDeleted, newTwin, toMsgTwin } from './twin-state.js';

export interface DeviceIdentity {
  namespace: string;
  name: string;
  /** spec.nodeName; undefined when not set. */
  nodeName: string | undefined;
  modelName: string | undefined;
  description: string;
}

export interface PropertySpec {
  name: string;
  type: string;
  desired: string | undefined;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const strOf = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function deviceIdentity(obj: unknown): DeviceIdentity | undefined {
  if (!isObj(obj) || !isObj(obj['metadata'])) return undefined;
  const meta = obj['metadata'];
  const name = strOf(meta['name']);
  if (!name) return undefined;
  const namespace = strOf(meta['namespace']) || 'default';
  const spec = isObj(obj['spec']) ? obj['spec'] : {};
  const ref = isObj(spec['deviceModelRef']) ? spec['deviceModelRef'] : {};
  const labels = isObj(meta['labels']) ? meta['labels'] : {};
  return {
    namespace, name,
    nodeName: strOf(spec['nodeName']) || undefined,
    modelName: strOf(ref['name']) || undefined,
    // KubeEdge's createDevice takes the description from the label of that name.
    description: strOf(labels['description']) ?? '',
  };
}

const TYPES: Record<string, string> = {
  INT: 'int', FLOAT: 'float', DOUBLE: 'double', STRING: 'string', BOOLEAN: 'boolean', BYTES: 'bytes',
};

/** The twins a device should have. A property the model does not type (or a STREAM) is a string. */
export function propertySpecs(device: unknown, model: unknown): PropertySpec[] {
  const props = (device as Partial<Device> | undefined)?.spec?.properties;
  const modelProps = (model as Partial<DeviceModel> | undefined)?.spec?.properties;
  const types = new Map<string, string>();
  if (Array.isArray(modelProps)) {
    for (const p of modelProps) {
      if (isObj(p) && typeof p.name === 'string') types.set(p.name, TYPES[strOf(p.type)?.toUpperCase() ?? ''] ?? 'string');
    }
  }
  const out: PropertySpec[] = [];
  const seen = new Set<string>();
  for (const p of Array.isArray(props) ? props : []) {
    if (!isObj(p) || typeof p.name !== 'string' || p.name === '' || seen.has(p.name)) continue;
    seen.add(p.name);
    const desired = isObj(p.desired) ? strOf(p.desired['value']) : undefined;
    out.push({ name: p.name, type: types.get(p.name) ?? 'string', desired: desired === '' ? undefined : desired });
  }
  return out;
}

/**
 * Brings `entry`'s twins in line with the device's properties. A new or changed desired value becomes
 * the expected value with a new timestamp and the next cloud version; the cloud already knows it, so
 * nothing is reported back.
 */
export function reconcileTwins(entry: DeviceEntry, specs: readonly PropertySpec[], now: number): DealResult {
  const out = emptyDeal();
  for (const spec of specs) {
    const twin = entry.twins.get(spec.name);
    const last = twin && !isDeleted(twin) ? toMsgTwin(twin, false) : null;
    const target = twin ?? newTwin(spec.name, spec.type, false);
    let changed = twin === undefined || isDeleted(target);
    if (target.attrType !== spec.type) target.attrType = spec.type;
    if (target.optional) target.optional = false;
    changed ||= last !== null && (last.metadata?.type !== spec.type || last.optional !== false);
    if (spec.desired !== undefined && spec.desired !== target.expected) {
      setSide(target, 'expected', spec.desired, now, bumpCloud(target.expectedVersion));
      changed = true;
    }
    if (!changed) continue;
    entry.twins.set(spec.name, target);
    out.written.push(target);
    out.document[spec.name] = { last, current: toMsgTwin(target, false) };
  }
  const names = new Set(specs.map((s) => s.name));
  for (const twin of [...entry.twins.values()]) {
    if (names.has(twin.name) || twin.optional) continue;
    entry.twins.delete(twin.name);
    out.removed.push(twin);
    if (!isDeleted(twin)) out.document[twin.name] = { last: toMsgTwin(twin, false), current: null };
  }
  return out;
}
