// Pure conversion between 16-bit registers and the string values KubeEdge reports, per the property's
// type and the visitor's limit, scale and swaps. Bytes are big-endian (Modbus order) after the swaps:
// isRegisterSwap reverses the order of the registers (word swap), isSwap swaps the bytes inside each.
//   int:          limit 1-4 → 16/32/48/64-bit integer (unsigned unless visitor.signed), × scale, rounded
//   float/double: limit 2 → IEEE-754 float32, limit 4 → float64, other limits → integer; × scale
//   boolean:      any non-zero bit → "true"
//   string:       the bytes as UTF-8, trailing NULs dropped
import type { ModbusVisitor } from './config.js';
import { ModbusValueError } from './errors.js';
import { formatNumber, parseBoolean, parseNumber } from './value-text.js';

export function registersToValue(registers: readonly number[], visitor: ModbusVisitor, type: string, property: string): string {
  const bytes = swap(registersToBytes(registers), visitor);
  switch (type) {
    case 'boolean':
      return String(bytes.some((b) => b !== 0));
    case 'string':
      return bytes.toString('utf8').replace(/\0+$/, '');
    case 'float':
    case 'double':
      if (bytes.length === 4) return formatNumber(bytes.readFloatBE(0) * visitor.scale, 7);
      if (bytes.length === 8) return formatNumber(bytes.readDoubleBE(0) * visitor.scale, 15);
      return formatNumber(Number(toInteger(bytes, visitor.signed, property)) * visitor.scale, 15);
    case 'int':
      return String(Math.round(Number(toInteger(bytes, visitor.signed, property)) * visitor.scale));
    default:
      throw new ModbusValueError('bad_value', property, `property type "${type}" cannot be read from modbus registers`);
  }
}

export function valueToRegisters(value: string, visitor: ModbusVisitor, type: string, property: string): number[] {
  const size = visitor.limit * 2;
  let bytes: Buffer;
  switch (type) {
    case 'boolean':
      bytes = fromInteger(parseBoolean(value, property) ? 1n : 0n, size, property);
      break;
    case 'string': {
      const text = Buffer.from(value, 'utf8');
      if (text.length > size) throw new ModbusValueError('out_of_range', property, `"${value}" is ${text.length} bytes; ${visitor.limit} registers hold ${size}`);
      bytes = Buffer.alloc(size);
      text.copy(bytes);
      break;
    }
    case 'float':
    case 'double':
      bytes = encodeFloat(parseNumber(value, property) / visitor.scale, size, property);
      break;
    case 'int':
      bytes = fromInteger(BigInt(Math.round(parseNumber(value, property) / visitor.scale)), size, property);
      break;
    default:
      throw new ModbusValueError('bad_value', property, `property type "${type}" cannot be written to modbus registers`);
  }
  return bytesToRegisters(swap(bytes, visitor));
}

function encodeFloat(raw: number, size: number, property: string): Buffer {
  const bytes = Buffer.alloc(size);
  if (size === 4) {
    if (Math.abs(raw) > 3.4028234663852886e38) throw new ModbusValueError('out_of_range', property, `${raw} does not fit a float32`);
    bytes.writeFloatBE(raw, 0);
    return bytes;
  }
  if (size === 8) {
    bytes.writeDoubleBE(raw, 0);
    return bytes;
  }
  return fromInteger(BigInt(Math.round(raw)), size, property);
}

/** Big-endian integer of the bytes; two's complement when signed. Up to 64 bits. */
function toInteger(bytes: Buffer, signed: boolean, property: string): bigint {
  if (bytes.length > 8) throw new ModbusValueError('bad_value', property, `an integer spans at most 4 registers, not ${bytes.length / 2}`);
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  const bits = BigInt(bytes.length * 8);
  if (signed && bytes.length > 0 && (bytes[0] ?? 0) >= 0x80) n -= 1n << bits;
  return n;
}

/** Writes n into size bytes, accepting the signed and the unsigned range (-2^(b-1) .. 2^b - 1). */
function fromInteger(n: bigint, size: number, property: string): Buffer {
  if (size > 8) throw new ModbusValueError('bad_value', property, `an integer spans at most 4 registers, not ${size / 2}`);
  const bits = BigInt(size * 8);
  const min = -(1n << (bits - 1n));
  const max = (1n << bits) - 1n;
  if (n < min || n > max) throw new ModbusValueError('out_of_range', property, `${n} does not fit ${size / 2} register(s) (${min} to ${max})`);
  let u = n < 0n ? n + (1n << bits) : n;
  const out = Buffer.alloc(size);
  for (let i = size - 1; i >= 0; i--) {
    out[i] = Number(u & 0xffn);
    u >>= 8n;
  }
  return out;
}

function registersToBytes(registers: readonly number[]): Buffer {
  const out = Buffer.alloc(registers.length * 2);
  registers.forEach((r, i) => out.writeUInt16BE(r & 0xffff, i * 2));
  return out;
}

function bytesToRegisters(bytes: Buffer): number[] {
  return Array.from({ length: bytes.length / 2 }, (_, i) => bytes.readUInt16BE(i * 2));
}

/** Applies the visitor's swaps; each is its own inverse, so reads and writes use the same function. */
export function swap(bytes: Buffer, visitor: Pick<ModbusVisitor, 'isSwap' | 'isRegisterSwap'>): Buffer {
  const words = Array.from({ length: bytes.length / 2 }, (_, i) => bytes.subarray(i * 2, i * 2 + 2));
  if (visitor.isRegisterSwap) words.reverse();
  const out = Buffer.concat(words.map((w) => Buffer.from(w)));
  if (visitor.isSwap) out.swap16();
  return out;
}
