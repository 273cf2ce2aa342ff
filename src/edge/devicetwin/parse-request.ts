// Decoding the MQTT payloads of device apps with the strictness of Go's json.Unmarshal into KubeEdge's
// dttype structs: unknown fields are ignored, a field of the wrong JSON type fails the whole payload.
// Failures are TwinRequestError 400 with KubeEdge's texts.
import type { MsgTwin, TwinValue, TwinVersion } from '../../core/index.js';
import { TwinRequestError } from './errors.js';
import { ERROR_KEY, ERROR_NO_TWIN, ERROR_UNMARSHAL, ERROR_VALUE, isValidTwinKey, isValidTwinValue } from './validation.js';

export interface ParsedBase {
  eventId: string;
}

export interface ParsedTwinUpdate extends ParsedBase {
  twin: Record<string, MsgTwin | null>;
}

export interface ParsedStateUpdate extends ParsedBase {
  state: string;
}

class Mismatch extends Error {}

type Obj = Record<string, unknown>;

function parseJson(payload: Buffer | string): unknown {
  try {
    return JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
  } catch {
    throw new Mismatch();
  }
}

/** A JSON object, or undefined for null/absent (Go leaves the field zero). */
function obj(v: unknown): Obj | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new Mismatch();
  return v as Obj;
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new Mismatch();
  return v;
}

function int(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Mismatch();
  return v;
}

function bool(v: unknown): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new Mismatch();
  return v;
}

function twinValue(v: unknown): TwinValue | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const out: TwinValue = {};
  const value = str(o['value']);
  if (value !== undefined) out.value = value;
  const meta = obj(o['metadata']);
  if (meta) {
    const ts = int(meta['timestamp']);
    out.metadata = ts === undefined ? {} : { timestamp: ts };
  }
  return out;
}

function version(v: unknown): TwinVersion | undefined {
  const o = obj(v);
  if (!o) return undefined;
  return { cloud: int(o['cloud']) ?? 0, edge: int(o['edge']) ?? 0 };
}

function msgTwin(v: unknown): MsgTwin | null {
  const o = obj(v);
  if (!o) return null;
  const out: MsgTwin = {};
  const expected = twinValue(o['expected']);
  if (expected) out.expected = expected;
  const actual = twinValue(o['actual']);
  if (actual) out.actual = actual;
  const optional = bool(o['optional']);
  if (optional !== undefined) out.optional = optional;
  const meta = obj(o['metadata']);
  if (meta) {
    const type = str(meta['type']);
    out.metadata = type === undefined ? {} : { type };
  }
  const ev = version(o['expected_version']);
  if (ev) out.expected_version = ev;
  const av = version(o['actual_version']);
  if (av) out.actual_version = av;
  return out;
}

function base(o: Obj | undefined): ParsedBase {
  int(o?.['timestamp']);
  return { eventId: str(o?.['event_id']) ?? '' };
}

/** dttype.UnmarshalDeviceTwinUpdate: the payload, then a "twin" object, then every key and value. */
export function parseTwinUpdate(payload: Buffer | string): ParsedTwinUpdate {
  let parsed: { eventId: string; twin: Obj | undefined; twins: Record<string, MsgTwin | null> };
  try {
    const o = obj(parseJson(payload));
    const twin = obj(o?.['twin']);
    const twins: Record<string, MsgTwin | null> = {};
    for (const [key, value] of Object.entries(twin ?? {})) twins[key] = msgTwin(value);
    parsed = { ...base(o), twin, twins };
  } catch (err) {
    if (err instanceof Mismatch) throw TwinRequestError.badRequest(ERROR_UNMARSHAL);
    throw err;
  }
  if (!parsed.twin) throw TwinRequestError.badRequest(ERROR_NO_TWIN, parsed.eventId);
  for (const [key, twin] of Object.entries(parsed.twins)) {
    if (!isValidTwinKey(key)) throw TwinRequestError.badRequest(ERROR_KEY, parsed.eventId);
    for (const value of [twin?.expected?.value, twin?.actual?.value]) {
      if (value !== undefined && !isValidTwinValue(value)) {
        throw TwinRequestError.badRequest(ERROR_VALUE, parsed.eventId);
      }
    }
  }
  return { eventId: parsed.eventId, twin: parsed.twins };
}

/** twin/get and membership/get: a BaseMessage. */
export function parseBase(payload: Buffer | string, what: string): ParsedBase {
  try {
    return base(obj(parseJson(payload)));
  } catch (err) {
    if (err instanceof Mismatch) throw TwinRequestError.badRequest(`Unmarshal ${what} request body failed, please check the request`);
    throw err;
  }
}

/** state/update: dttype.DeviceUpdate (its attributes are not used here). */
export function parseStateUpdate(payload: Buffer | string): ParsedStateUpdate {
  try {
    const o = obj(parseJson(payload));
    return { ...base(o), state: str(o?.['state']) ?? '' };
  } catch (err) {
    if (err instanceof Mismatch) throw TwinRequestError.badRequest('Unmarshal state update request body failed, please check the request');
    throw err;
  }
}

/** Twins in a cloud message, type-checked like a device app's; undefined when malformed. */
export function cloudTwins(v: unknown): Record<string, MsgTwin | null> | undefined {
  try {
    const o = obj(v);
    if (!o) return undefined;
    const twins: Record<string, MsgTwin | null> = {};
    for (const [key, value] of Object.entries(o)) twins[key] = msgTwin(value);
    return twins;
  } catch (err) {
    if (err instanceof Mismatch) return undefined;
    throw err;
  }
}
