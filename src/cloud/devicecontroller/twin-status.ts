// Reported twins and state → DeviceStatus, as KubeEdge's UpstreamController does it: for each
// reported twin that is a property of the device, actual.value becomes twins[].reported and
// expected.value twins[].observedDesired, each with metadata {timestamp (ms, as a string), type};
// twins of properties the device no longer has are dropped (KubeEdge's removeTwinWithNameChanged).
// Pure: content in, values out, ReportError on malformed content.
import type { DeviceStatusTwin, TwinProperty } from '../../api/index.js';

export class ReportError extends Error {
  override readonly name = 'ReportError';
}

/** One reported twin after validation: the fields the status needs. */
export interface ReportedTwin {
  actual?: { value: string; timestamp?: number };
  expected?: { value: string; timestamp?: number };
  /** twin.metadata.type; undefined when the twin has no metadata ('' when it has metadata without type). */
  type?: string;
}

export interface StateReport {
  state?: string;
  lastOnlineTime?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const absent = (v: unknown): v is null | undefined => v === undefined || v === null;

function optionalString(v: unknown, what: string): string | undefined {
  if (absent(v)) return undefined;
  if (typeof v !== 'string') throw new ReportError(`${what} must be a string`);
  return v;
}

function twinValue(v: unknown, what: string): { value: string; timestamp?: number } | undefined {
  if (absent(v)) return undefined;
  if (!isObject(v)) throw new ReportError(`${what} must be an object`);
  const value = optionalString(v['value'], `${what}.value`);
  if (value === undefined) return undefined;
  const meta = v['metadata'];
  if (absent(meta)) return { value };
  if (!isObject(meta)) throw new ReportError(`${what}.metadata must be an object`);
  const ts = meta['timestamp'];
  if (!absent(ts) && (typeof ts !== 'number' || !Number.isFinite(ts))) throw new ReportError(`${what}.metadata.timestamp must be a number`);
  return { value, timestamp: typeof ts === 'number' ? Math.trunc(ts) : 0 };
}

/** The twins of a DeviceTwinUpdate (`{event_id, timestamp, twin: {<name>: MsgTwin|null}}`). */
export function parseTwinReport(content: unknown): Map<string, ReportedTwin> {
  if (!isObject(content)) throw new ReportError('twin update must be a JSON object');
  const twins = content['twin'];
  const out = new Map<string, ReportedTwin>();
  if (absent(twins)) return out;
  if (!isObject(twins)) throw new ReportError('twin must be an object of twins by name');
  for (const [name, twin] of Object.entries(twins)) {
    if (absent(twin)) continue;
    if (!isObject(twin)) throw new ReportError(`twin "${name}" must be an object`);
    const entry: ReportedTwin = {};
    const actual = twinValue(twin['actual'], `twin "${name}".actual`);
    const expected = twinValue(twin['expected'], `twin "${name}".expected`);
    if (actual) entry.actual = actual;
    if (expected) entry.expected = expected;
    const meta = twin['metadata'];
    if (!absent(meta)) {
      if (!isObject(meta)) throw new ReportError(`twin "${name}".metadata must be an object`);
      entry.type = optionalString(meta['type'], `twin "${name}".metadata.type`) ?? '';
    }
    out.set(name, entry);
  }
  return out;
}

/** The device of a state update (`{device: {state, lastOnlineTime}}`; Go also decodes "Device"). */
export function parseStateReport(content: unknown): StateReport {
  if (!isObject(content)) throw new ReportError('state update must be a JSON object');
  const device = content['device'] ?? content['Device'];
  if (!isObject(device)) throw new ReportError('state update needs a device object');
  const state = optionalString(device['state'], 'device.state');
  const lastOnlineTime = optionalString(device['lastOnlineTime'], 'device.lastOnlineTime')
    ?? optionalString(device['last_online'], 'device.last_online');
  // Empty fields leave the status as it is (KubeEdge's patch struct has omitempty on both).
  return { ...(state ? { state } : {}), ...(lastOnlineTime ? { lastOnlineTime } : {}) };
}

function property(v: { value: string; timestamp?: number }, type: string | undefined): TwinProperty {
  const metadata: Record<string, string> = {};
  if (v.timestamp !== undefined) metadata['timestamp'] = String(v.timestamp);
  if (type !== undefined) metadata['type'] = type;
  return { value: v.value, metadata };
}

/** One entry per property, in the device's order, keeping what `current` has for each. */
export function alignTwins(current: readonly DeviceStatusTwin[], names: readonly string[]): DeviceStatusTwin[] {
  return names.map((n) => current.find((t) => t.propertyName === n) ?? { propertyName: n });
}

/**
 * `current` with the report merged in: reported twins of unknown properties are ignored (as
 * KubeEdge does), twins of removed properties dropped, new ones appended.
 */
export function mergeTwins(
  current: readonly DeviceStatusTwin[], names: readonly string[], report: ReadonlyMap<string, ReportedTwin>,
): DeviceStatusTwin[] {
  const known = new Set(names);
  const out = current.filter((t) => known.has(t.propertyName)).map((t) => ({ ...t }));
  for (const [name, twin] of report) {
    if (!known.has(name)) continue;
    let entry = out.find((t) => t.propertyName === name);
    if (!entry) out.push((entry = { propertyName: name }));
    if (twin.actual) entry.reported = property(twin.actual, twin.type);
    if (twin.expected) entry.observedDesired = property(twin.expected, twin.type);
  }
  return out;
}
