// google.protobuf.Any values of DMI's CustomizedValue maps (visitor and protocol configData), as
// KubeEdge's dtcommon.dataToAny writes them and mapper-framework's DecodeAnyValue reads them. Only the
// wrapper messages travel here, so their one field (number 1) is encoded and decoded by hand.
//
// Encoding (KubeEdge decodes the CRD's JSON, so every number is a float64 it wraps as FloatValue):
// - string → StringValue, boolean → BoolValue;
// - number → FloatValue, as KubeEdge does, so its Go mappers read it (they ignore DoubleValue). Float32
//   keeps 24 bits: 0.1 arrives as 0.1f, which decodeAny turns back into 0.1 (the shortest decimal of the
//   float32). Integers float32 cannot hold exactly (|n| > 2^24, e.g. 16777217) → Int64Value, which Go
//   mappers also read, instead of silently becoming another number;
// - bigint → Int64Value, Uint8Array → BytesValue;
// - objects and arrays → StringValue of their JSON (KubeEdge refuses them; here a mapper can parse it);
// - null, undefined, functions, symbols: AnyCodecError (encodeCustomized leaves null/undefined out).
import type { AnyValue, CustomizedValueMsg } from './messages.js';

export const WRAPPER_TYPE_PREFIX = 'type.googleapis.com/google.protobuf.';

export type WrapperType =
  | 'StringValue' | 'BoolValue' | 'Int32Value' | 'Int64Value' | 'UInt32Value' | 'UInt64Value'
  | 'FloatValue' | 'DoubleValue' | 'BytesValue';

export class AnyCodecError extends Error {
  constructor(message: string, readonly typeUrl?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AnyCodecError';
  }
}

// Protobuf wire types.
const VARINT = 0;
const FIXED64 = 1;
const LENGTH = 2;
const FIXED32 = 5;

function varint(value: bigint): Buffer {
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

/** Field 1 of a wrapper; proto3 leaves a default value (0, '', false) out, as Go's proto.Marshal does. */
function field1(wireType: number, payload: Buffer, isDefault: boolean): Buffer {
  if (isDefault) return Buffer.alloc(0);
  const tag = Buffer.from([(1 << 3) | wireType]);
  if (wireType === LENGTH) return Buffer.concat([tag, varint(BigInt(payload.length)), payload]);
  return Buffer.concat([tag, payload]);
}

function wrap(type: WrapperType, value: Buffer): AnyValue {
  return { type_url: WRAPPER_TYPE_PREFIX + type, value };
}

export function stringAny(s: string): AnyValue {
  return wrap('StringValue', field1(LENGTH, Buffer.from(s, 'utf8'), s === ''));
}

function floatAny(n: number): AnyValue {
  const b = Buffer.alloc(4);
  b.writeFloatLE(n);
  return wrap('FloatValue', field1(FIXED32, b, Object.is(n, 0)));
}

function int64Any(n: bigint): AnyValue {
  return wrap('Int64Value', field1(VARINT, varint(n), n === 0n));
}

export function encodeAny(v: unknown): AnyValue {
  switch (typeof v) {
    case 'string':
      return stringAny(v);
    case 'boolean':
      return wrap('BoolValue', field1(VARINT, Buffer.from([1]), !v));
    case 'number':
      if (Number.isInteger(v) && Math.fround(v) !== v) return int64Any(BigInt(v));
      return floatAny(v);
    case 'bigint':
      return int64Any(v);
    case 'object':
      if (v === null) throw new AnyCodecError('null has no google.protobuf.Any form');
      if (v instanceof Uint8Array) return wrap('BytesValue', field1(LENGTH, Buffer.from(v), v.length === 0));
      return stringAny(JSON.stringify(v));
    default:
      throw new AnyCodecError(`a ${typeof v} has no google.protobuf.Any form`);
  }
}

/** The value of field 1 as raw wire data, or undefined when absent (the wrapper's default). */
interface Field1 { wireType: number; varint?: bigint; bytes?: Buffer }

function readVarint(buf: Buffer, pos: number, typeUrl: string): [bigint, number] {
  let result = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    const byte = buf[pos];
    if (byte === undefined) throw new AnyCodecError(`${typeUrl}: truncated varint`, typeUrl);
    pos++;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [BigInt.asUintN(64, result), pos];
  }
  throw new AnyCodecError(`${typeUrl}: varint longer than 10 bytes`, typeUrl);
}

function take(buf: Buffer, pos: number, n: number, typeUrl: string): Buffer {
  if (pos + n > buf.length) throw new AnyCodecError(`${typeUrl}: truncated field`, typeUrl);
  return buf.subarray(pos, pos + n);
}

/** Scans the message; the last occurrence of field 1 wins and unknown fields are skipped (protobuf rules). */
function readField1(buf: Buffer, typeUrl: string): Field1 | undefined {
  let found: Field1 | undefined;
  let pos = 0;
  while (pos < buf.length) {
    const [key, afterKey] = readVarint(buf, pos, typeUrl);
    pos = afterKey;
    const wireType = Number(key & 7n);
    const field = key >> 3n;
    let value: Field1;
    if (wireType === VARINT) {
      const [v, next] = readVarint(buf, pos, typeUrl);
      value = { wireType, varint: v };
      pos = next;
    } else if (wireType === LENGTH) {
      const [len, next] = readVarint(buf, pos, typeUrl);
      value = { wireType, bytes: take(buf, next, Number(len), typeUrl) };
      pos = next + Number(len);
    } else if (wireType === FIXED32 || wireType === FIXED64) {
      const n = wireType === FIXED32 ? 4 : 8;
      value = { wireType, bytes: take(buf, pos, n, typeUrl) };
      pos += n;
    } else {
      throw new AnyCodecError(`${typeUrl}: unsupported wire type ${wireType}`, typeUrl);
    }
    if (field === 1n) found = value;
  }
  return found;
}

function expectWire(f: Field1 | undefined, wireType: number, typeUrl: string): Field1 | undefined {
  if (f !== undefined && f.wireType !== wireType) {
    throw new AnyCodecError(`${typeUrl}: field 1 has wire type ${f.wireType}, expected ${wireType}`, typeUrl);
  }
  return f;
}

/** 64-bit integers: a number when it is exact, else its decimal string (JSON has no bigint). */
function integer(v: bigint): number | string {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v.toString();
}

/** The shortest decimal that is the same float32 (as Go prints a float32): 0.1f → 0.1, not 0.10000000149. */
export function float32ToNumber(f: number): number {
  if (!Number.isFinite(f) || f === 0) return f;
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

/** The type name after the last '/' of type_url (mapper-framework's getMessageTypeName). */
export function anyTypeName(typeUrl: string): string {
  return typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
}

export function decodeAny(a: AnyValue): unknown {
  const typeUrl = a.type_url ?? '';
  const name = anyTypeName(typeUrl);
  const buf = Buffer.from(a.value ?? new Uint8Array());
  const f = readField1(buf, typeUrl);
  switch (name) {
    case 'google.protobuf.StringValue':
      return expectWire(f, LENGTH, typeUrl)?.bytes?.toString('utf8') ?? '';
    case 'google.protobuf.BytesValue':
      return Buffer.from(expectWire(f, LENGTH, typeUrl)?.bytes ?? Buffer.alloc(0));
    case 'google.protobuf.BoolValue':
      return (expectWire(f, VARINT, typeUrl)?.varint ?? 0n) !== 0n;
    case 'google.protobuf.Int32Value':
      return Number(BigInt.asIntN(32, expectWire(f, VARINT, typeUrl)?.varint ?? 0n));
    case 'google.protobuf.UInt32Value':
      return Number(BigInt.asUintN(32, expectWire(f, VARINT, typeUrl)?.varint ?? 0n));
    case 'google.protobuf.Int64Value':
      return integer(BigInt.asIntN(64, expectWire(f, VARINT, typeUrl)?.varint ?? 0n));
    case 'google.protobuf.UInt64Value':
      return integer(expectWire(f, VARINT, typeUrl)?.varint ?? 0n);
    case 'google.protobuf.FloatValue':
      return float32ToNumber(expectWire(f, FIXED32, typeUrl)?.bytes?.readFloatLE(0) ?? 0);
    case 'google.protobuf.DoubleValue':
      return expectWire(f, FIXED64, typeUrl)?.bytes?.readDoubleLE(0) ?? 0;
    default:
      throw new AnyCodecError(`unsupported google.protobuf.Any type ${typeUrl || '(empty)'}`, typeUrl);
  }
}

/** A configData map for the wire; null and undefined entries are left out (KubeEdge cannot send them). */
export function encodeCustomized(obj?: Record<string, unknown> | null): CustomizedValueMsg {
  const data: Record<string, AnyValue> = {};
  for (const [k, v] of Object.entries(obj ?? {})) {
    if (v === null || v === undefined) continue;
    data[k] = encodeAny(v);
  }
  return { data };
}

/**
 * A configData map from the wire. Entries of a type we cannot read are skipped, as mapper-framework
 * does; pass onSkip to hear about them. Strings stay strings (JSON-looking ones included).
 */
export function decodeCustomized(
  cv?: CustomizedValueMsg | null,
  onSkip?: (key: string, err: AnyCodecError) => void,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, a] of Object.entries(cv?.data ?? {})) {
    try {
      out[k] = decodeAny(a);
    } catch (err) {
      if (!(err instanceof AnyCodecError)) throw err;
      onSkip?.(k, err);
    }
  }
  return out;
}
