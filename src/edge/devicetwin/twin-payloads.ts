// The JSON KubeEdge's devicetwin publishes on the result, delta, document and membership topics
// (dttype.Build*), and the contents of its reports to the cloud. Field order follows Go's structs.
import type {
  DeviceStateCloudUpdate, DeviceTwinUpdate, MsgTwin, TwinResult, WireDevice,
} from '../../core/index.js';
import type { TwinDocEntry } from './deal-result.js';
import { type DeviceEntry, isDeleted, toMsgTwin, toWireDevice } from './twin-state.js';

export interface Base {
  event_id: string;
  timestamp: number;
}

/** dttype.BuildErrorResult. */
export function errorResult(base: Base, code: number, reason: string): TwinResult {
  return { ...base, code, reason };
}

/** twin/update/result on success: the changed twins without versions (null for a deleted one). */
export function updateResult(base: Base, twins: Record<string, MsgTwin | null>): Base & { twin: Record<string, MsgTwin | null> } {
  return { ...base, twin: twins };
}

export function documentPayload(base: Base, twins: Record<string, TwinDocEntry>): Base & { twin: Record<string, TwinDocEntry> } {
  return { ...base, twin: twins };
}

/**
 * dttype.BuildDeviceTwinDelta: the twins that have an expected value, and `delta` = the expected value
 * of each that differs from its actual one. Undefined when nothing differs (KubeEdge publishes nothing).
 */
export function deltaPayload(base: Base, device: DeviceEntry): (Base & { twin: Record<string, MsgTwin>; delta: Record<string, string> }) | undefined {
  const twin: Record<string, MsgTwin> = {};
  const delta: Record<string, string> = {};
  for (const t of device.twins.values()) {
    if (isDeleted(t) || t.expected === undefined || t.expected === '') continue;
    if (t.expected !== (t.actual ?? '')) delta[t.name] = t.expected;
    twin[t.name] = toMsgTwin(t, false);
  }
  return Object.keys(delta).length > 0 ? { ...base, twin, delta } : undefined;
}

/** twin/get/result: every twin that is not deleted, without versions. */
export function getResult(base: Base, device: DeviceEntry): Base & { twin: Record<string, MsgTwin> } {
  const twin: Record<string, MsgTwin> = {};
  for (const t of device.twins.values()) if (!isDeleted(t)) twin[t.name] = toMsgTwin(t, false);
  return { ...base, twin };
}

/** membership/get/result. Beyond KubeEdge (which sends attributes only), each device carries its twins. */
export function membershipGetResult(base: Base, devices: Iterable<DeviceEntry>): Base & { devices: WireDevice[] } {
  return { ...base, devices: [...devices].map((d) => toWireDevice(d, true)) };
}

/** membership/updated (dttype.MarshalMembershipUpdate): an empty side is null, as Go marshals a nil slice. */
export function membershipUpdated(base: Base, added: WireDevice[], removed: WireDevice[]): Record<string, unknown> {
  return { ...base, added_devices: added.length > 0 ? added : null, removed_devices: removed.length > 0 ? removed : null };
}

/** twin/edge_updated content: the latest state of each reported twin, with its versions. */
export function twinReport(base: Base, device: DeviceEntry, names: Iterable<string>): DeviceTwinUpdate | undefined {
  const twin: Record<string, MsgTwin> = {};
  for (const name of names) {
    const t = device.twins.get(name);
    if (t) twin[name] = toMsgTwin(t, true);
  }
  return Object.keys(twin).length > 0 ? { ...base, twin } : undefined;
}

/** state/update content and state/update/result (dttype.BuildDeviceCloudMsgState). */
export function stateReport(base: Base, device: DeviceEntry): DeviceStateCloudUpdate {
  const d: DeviceStateCloudUpdate['device'] = { name: device.name, state: device.state };
  if (device.lastOnline) d.lastOnlineTime = device.lastOnline;
  return { ...base, device: d };
}
