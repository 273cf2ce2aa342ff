// A twin/update from a device app or a mapper (KubeEdge's RestDealType): every value given is taken,
// its edge version counts up, and the change is reported to the cloud. The whole update is checked
// before anything changes, so a refused update leaves no trace (KubeEdge reloads the device instead).
import type { MsgTwin, TwinVersion } from '../../core/index.js';
import { type DealResult, SIDES, emptyDeal, isDeleteRequest, requestedType, setSide, setSideVersion, sideVersion, versionKey } from './deal-result.js';
import { TwinRequestError } from './errors.js';
import { type DeviceEntry, type TwinEntry, bumpEdge, isDeleted, markDeleted, newTwin, toMsgTwin, valueOf } from './twin-state.js';
import { validateTypedValue } from './validation.js';

/** Applies `twins` to `device`; throws TwinRequestError (400/409) and changes nothing when any twin is refused. */
export function applyRestUpdate(device: DeviceEntry, twins: Record<string, MsgTwin | null>, now: number): DealResult {
  const entries = Object.entries(twins);
  for (const [key, msg] of entries) checkRest(device, key, msg);
  const out = emptyDeal();
  for (const [key, msg] of entries) {
    const twin = device.twins.get(key);
    if (!twin) addTwin(device, key, msg as MsgTwin, now, out);
    else if (isDeleteRequest(msg)) deleteTwin(twin, out);
    else compareTwin(twin, msg as MsgTwin, now, out);
  }
  return out;
}

function checkRest(device: DeviceEntry, key: string, msg: MsgTwin | null): void {
  const twin = device.twins.get(key);
  if (!twin) {
    if (isDeleteRequest(msg)) throw TwinRequestError.badRequest(`twin "${key}" does not exist`);
    checkValues(requestedType(msg as MsgTwin), msg as MsgTwin);
    return;
  }
  if (isDeleteRequest(msg)) {
    // KubeEdge ignores a deletion of a non-optional twin; we say so instead of answering success.
    if (!isDeleted(twin) && !twin.optional) throw TwinRequestError.badRequest(`twin "${key}" is not optional and cannot be deleted`);
    return;
  }
  const m = msg as MsgTwin;
  checkValues(isDeleted(twin) ? requestedType(m) : twin.attrType, m);
  for (const side of SIDES) {
    const req = m[versionKey(side)];
    if (m[side]?.value !== undefined && req) checkNotOlder(key, side, req, sideVersion(twin, side));
  }
}

function checkValues(type: string, msg: MsgTwin): void {
  for (const side of SIDES) {
    const value = msg[side]?.value;
    if (value === undefined) continue;
    const err = validateTypedValue(type, value);
    if (err) throw TwinRequestError.badRequest(err);
  }
}

/**
 * Ours: a device app that sends the version it last saw is refused (409) when the twin has moved on
 * since. KubeEdge checks versions only for the cloud's updates and ignores them from device apps.
 */
function checkNotOlder(key: string, side: 'expected' | 'actual', req: TwinVersion, stored: TwinVersion | undefined): void {
  const s = stored ?? { cloud: 0, edge: 0 };
  if (req.cloud < s.cloud || req.edge < s.edge) {
    throw TwinRequestError.conflict(
      `version conflict on twin "${key}": ${side}_version {cloud:${req.cloud},edge:${req.edge}} is older than the stored {cloud:${s.cloud},edge:${s.edge}}`,
    );
  }
}

function addTwin(device: DeviceEntry, key: string, msg: MsgTwin, now: number, out: DealResult): void {
  const twin = newTwin(key, requestedType(msg), msg.optional ?? true);
  for (const side of SIDES) {
    const value = msg[side]?.value;
    if (value !== undefined) setSide(twin, side, value, now, bumpEdge(undefined));
  }
  device.twins.set(key, twin);
  const current = toMsgTwin(twin, false);
  out.written.push(twin);
  out.result[key] = current;
  out.document[key] = { last: null, current };
  out.report.push(key);
}

function deleteTwin(twin: TwinEntry, out: DealResult): void {
  if (isDeleted(twin)) return;
  const last = toMsgTwin(twin, false);
  for (const side of SIDES) {
    const version = sideVersion(twin, side);
    if (version) setSideVersion(twin, side, bumpEdge(version));
  }
  markDeleted(twin);
  out.written.push(twin);
  out.result[twin.name] = null;
  out.document[twin.name] = { last, current: null };
  out.report.push(twin.name);
}

function compareTwin(twin: TwinEntry, msg: MsgTwin, now: number, out: DealResult): void {
  const last = isDeleted(twin) ? null : toMsgTwin(twin, false);
  const result: MsgTwin = {};
  let changed = false;
  if (isDeleted(twin)) {
    twin.attrType = requestedType(msg);
    changed = true;
  }
  for (const side of SIDES) {
    const value = msg[side]?.value;
    if (value === undefined) continue;
    setSide(twin, side, value, now, bumpEdge(sideVersion(twin, side)));
    result[side] = valueOf(value, now);
    changed = true;
  }
  // Only an optional twin may become mandatory, never the reverse (KubeEdge's rule).
  if (msg.optional === false && twin.optional) {
    twin.optional = false;
    changed = true;
  }
  if (!changed) return;
  result.optional = twin.optional;
  result.metadata = { type: twin.attrType };
  out.written.push(twin);
  out.result[twin.name] = result;
  out.document[twin.name] = { last, current: toMsgTwin(twin, false) };
  out.report.push(twin.name);
}
