// Twins sent by the cloud with their version vectors (KubeEdge's SyncDealType: twin/cloud_updated of
// older clouds, twins in membership messages). A cloud value is taken only when the cloud has seen
// every change the edge made (its versions are not older than the edge's); otherwise the edge keeps
// its value and reports it back, so the cloud converges on it. Invalid entries are skipped, never
// refused as a whole: there is no one to answer.
import type { MsgTwin, TwinVersion } from '../../core/index.js';
import { TWIN_TYPE_DELETED } from '../../core/index.js';
import { type DealResult, SIDES, emptyDeal, isDeleteRequest, requestedType, setSide, setSideVersion, sideVersion, versionKey } from './deal-result.js';
import { type DeviceEntry, type TwinEntry, isDeleted, markDeleted, newTwin, toMsgTwin } from './twin-state.js';
import { validateTypedValue } from './validation.js';

export function applySyncUpdate(device: DeviceEntry, twins: Record<string, MsgTwin | null>, now: number): DealResult {
  const out = emptyDeal();
  for (const [key, msg] of Object.entries(twins)) {
    if (msg === null) continue;
    const twin = device.twins.get(key);
    if (!twin) addTwin(device, key, msg, now, out);
    else if (isDeleteRequest(msg)) deleteTwin(twin, msg, out);
    else compareTwin(twin, msg, now, out);
  }
  return out;
}

/** dealVersion for syncs: the cloud's version must be present and not older than the stored one. */
function allows(stored: TwinVersion | undefined, req: TwinVersion | undefined): req is TwinVersion {
  if (!req) return false;
  const s = stored ?? { cloud: 0, edge: 0 };
  return s.cloud <= req.cloud && s.edge <= req.edge;
}

function addTwin(device: DeviceEntry, key: string, msg: MsgTwin, now: number, out: DealResult): void {
  const type = requestedType(msg);
  const twin = newTwin(key, type, msg.optional ?? true);
  if (type === TWIN_TYPE_DELETED) {
    twin.expectedVersion = msg.expected_version && { ...msg.expected_version };
    twin.actualVersion = msg.actual_version && { ...msg.actual_version };
  }
  for (const side of SIDES) {
    const value = msg[side]?.value;
    if (value === undefined) continue;
    const req = msg[versionKey(side)];
    if (!allows(undefined, req) || validateTypedValue(type, value) !== undefined) return;
    setSide(twin, side, value, now, { ...req });
  }
  device.twins.set(key, twin);
  out.written.push(twin);
  out.document[key] = { last: null, current: isDeleted(twin) ? null : toMsgTwin(twin, false) };
}

function deleteTwin(twin: TwinEntry, msg: MsgTwin, out: DealResult): void {
  if (isDeleted(twin)) return;
  for (const side of SIDES) {
    const req = msg[versionKey(side)];
    // A deletion without versions is taken (SyncTwinDeleteDealType); one with older versions is not.
    if (req && !allows(sideVersion(twin, side), req)) {
      out.report.push(twin.name);
      return;
    }
  }
  const last = toMsgTwin(twin, false);
  for (const side of SIDES) {
    const req = msg[versionKey(side)];
    if (req && sideVersion(twin, side)) setSideVersion(twin, side, { ...req });
  }
  markDeleted(twin);
  out.written.push(twin);
  out.document[twin.name] = { last, current: null };
}

function compareTwin(twin: TwinEntry, msg: MsgTwin, now: number, out: DealResult): void {
  const last = isDeleted(twin) ? null : toMsgTwin(twin, false);
  const type = isDeleted(twin) ? requestedType(msg) : twin.attrType;
  let changed = false;
  let rejected = false;
  for (const side of SIDES) {
    const value = msg[side]?.value;
    if (value === undefined || validateTypedValue(type, value) !== undefined) continue;
    const req = msg[versionKey(side)];
    if (!allows(sideVersion(twin, side), req)) {
      rejected = true;
      break;
    }
    setSide(twin, side, value, now, { ...req });
    changed = true;
  }
  if (!rejected) changed = syncShape(twin, msg) || changed;
  if (rejected) out.report.push(twin.name);
  if (!changed) return;
  out.written.push(twin);
  out.document[twin.name] = { last, current: toMsgTwin(twin, false) };
}

/** optional may only go from true to false; a deleted twin takes the type the cloud gives it. */
function syncShape(twin: TwinEntry, msg: MsgTwin): boolean {
  let changed = false;
  if (msg.optional === false && twin.optional) {
    twin.optional = false;
    changed = true;
  }
  if (isDeleted(twin)) {
    twin.attrType = requestedType(msg);
    changed = true;
  }
  return changed;
}
