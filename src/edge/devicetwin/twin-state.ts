// The in-memory copy of this node's devices and twins (KubeEdge's dtcontext.DeviceList), loaded from
// SQLite at start and changed only by the engine. Rows mirror the device / device_attr / device_twin
// columns; wire forms (MsgTwin) are built from them on demand.
import type { MsgAttr, MsgTwin, TwinVersion, WireDevice } from '../../core/index.js';
import { TWIN_TYPE_DELETED } from '../../core/index.js';

export interface TwinEntry {
  /** device_twin.id; undefined until the row is inserted. */
  rowId: number | undefined;
  name: string;
  description: string;
  expected: string | undefined;
  /** metadata.timestamp of the expected value (ms). */
  expectedTs: number | undefined;
  expectedVersion: TwinVersion | undefined;
  actual: string | undefined;
  actualTs: number | undefined;
  actualVersion: TwinVersion | undefined;
  optional: boolean;
  /** The value type ("int", "string", ...) or "deleted". */
  attrType: string;
  /** The metadata column: the twin's metadata without its type, as JSON text ("{}"). */
  metadata: string;
}

export interface AttrEntry {
  rowId: number | undefined;
  name: string;
  description: string;
  value: string;
  optional: boolean;
  attrType: string;
  metadata: string;
}

export interface DeviceEntry {
  /** KubeEdge's device id: <namespace>/<name>. */
  id: string;
  namespace: string;
  name: string;
  description: string;
  state: string;
  lastOnline: string;
  attributes: Map<string, AttrEntry>;
  twins: Map<string, TwinEntry>;
}

export function newDevice(namespace: string, name: string, description = ''): DeviceEntry {
  return {
    id: `${namespace}/${name}`, namespace, name, description, state: '', lastOnline: '',
    attributes: new Map(), twins: new Map(),
  };
}

/** Splits a device id at its first "/" (namespaces cannot contain one). */
export function splitDeviceId(id: string): { namespace: string; name: string } | undefined {
  const at = id.indexOf('/');
  if (at <= 0 || at === id.length - 1) return undefined;
  return { namespace: id.slice(0, at), name: id.slice(at + 1) };
}

export function newTwin(name: string, attrType: string, optional: boolean): TwinEntry {
  return {
    rowId: undefined, name, description: '',
    expected: undefined, expectedTs: undefined, expectedVersion: undefined,
    actual: undefined, actualTs: undefined, actualVersion: undefined,
    optional, attrType, metadata: '{}',
  };
}

export function isDeleted(twin: TwinEntry): boolean {
  return twin.attrType === TWIN_TYPE_DELETED;
}

/** Marks a twin deleted the way KubeEdge's dealTwinDelete does: values gone, type "deleted", versions kept. */
export function markDeleted(twin: TwinEntry): void {
  twin.expected = undefined;
  twin.expectedTs = undefined;
  twin.actual = undefined;
  twin.actualTs = undefined;
  twin.attrType = TWIN_TYPE_DELETED;
}

/** dttype.DeviceTwinToMsgTwin: empty values are absent; versions only when asked for. */
export function toMsgTwin(twin: TwinEntry, withVersions: boolean): MsgTwin {
  const out: MsgTwin = {};
  if (twin.expected !== undefined && twin.expected !== '') out.expected = valueOf(twin.expected, twin.expectedTs);
  if (twin.actual !== undefined && twin.actual !== '') out.actual = valueOf(twin.actual, twin.actualTs);
  out.optional = twin.optional;
  out.metadata = { type: twin.attrType };
  if (withVersions) {
    if (twin.expectedVersion) out.expected_version = { ...twin.expectedVersion };
    if (twin.actualVersion) out.actual_version = { ...twin.actualVersion };
  }
  return out;
}

export function valueOf(value: string, timestamp: number | undefined): { value: string; metadata?: { timestamp: number } } {
  return timestamp ? { value, metadata: { timestamp } } : { value };
}

/** The device's twins as get/delta carry them: deleted twins left out, no versions. */
export function visibleTwins(device: DeviceEntry): Record<string, MsgTwin> {
  const out: Record<string, MsgTwin> = {};
  for (const twin of device.twins.values()) {
    if (!isDeleted(twin)) out[twin.name] = toMsgTwin(twin, false);
  }
  return out;
}

export function toMsgAttr(attr: AttrEntry): MsgAttr {
  return { value: attr.value, optional: attr.optional, metadata: { type: attr.attrType } };
}

/** A device as membership messages carry it (dttype.Device); twins only when asked for. */
export function toWireDevice(device: DeviceEntry, withTwins: boolean): WireDevice {
  const out: WireDevice = { id: device.id, name: device.name };
  if (device.description) out.description = device.description;
  if (device.state) out.state = device.state;
  if (device.lastOnline) out.last_online = device.lastOnline;
  if (device.attributes.size > 0) {
    out.attributes = Object.fromEntries([...device.attributes.values()].map((a) => [a.name, toMsgAttr(a)]));
  }
  if (withTwins && device.twins.size > 0) out.twin = visibleTwins(device);
  return out;
}

export function bumpEdge(version: TwinVersion | undefined): TwinVersion {
  return { cloud: version?.cloud ?? 0, edge: (version?.edge ?? 0) + 1 };
}

export function bumpCloud(version: TwinVersion | undefined): TwinVersion {
  return { cloud: (version?.cloud ?? 0) + 1, edge: version?.edge ?? 0 };
}
