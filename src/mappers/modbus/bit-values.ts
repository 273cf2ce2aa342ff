// Pure conversion between coils/discrete inputs and twin values. One bit is a boolean ("true"/"false"
// for boolean and string properties, 0/1 × scale for numeric ones); several bits (limit > 1) are an
// unsigned integer, first bit least significant (the order of the Modbus bit packing).
import type { ModbusVisitor } from './config.js';
import { ModbusValueError } from './errors.js';
import { formatNumber, parseBoolean, parseNumber } from './value-text.js';

export function bitsToValue(bits: readonly boolean[], visitor: ModbusVisitor, type: string, property: string): string {
  let n = 0n;
  bits.forEach((b, i) => {
    if (b) n |= 1n << BigInt(i);
  });
  switch (type) {
    case 'boolean':
      return String(n !== 0n);
    case 'string':
      return bits.length === 1 ? String(n !== 0n) : n.toString();
    case 'int':
      return String(Math.round(Number(n) * visitor.scale));
    case 'float':
    case 'double':
      return formatNumber(Number(n) * visitor.scale, 15);
    default:
      throw new ModbusValueError('bad_value', property, `property type "${type}" cannot be read from coils`);
  }
}

export function valueToBits(value: string, visitor: ModbusVisitor, type: string, property: string): boolean[] {
  let n: bigint;
  if (type === 'boolean' || (type === 'string' && visitor.limit === 1)) {
    n = parseBoolean(value, property) ? 1n : 0n;
  } else if (type === 'int' || type === 'float' || type === 'double' || type === 'string') {
    const raw = Math.round(parseNumber(value, property) / (type === 'string' ? 1 : visitor.scale));
    n = BigInt(raw);
  } else {
    throw new ModbusValueError('bad_value', property, `property type "${type}" cannot be written to coils`);
  }
  const max = (1n << BigInt(visitor.limit)) - 1n;
  if (n < 0n || n > max) {
    // As KubeEdge's modbus mapper: a single coil takes 0 or 1 only, never "any non-zero is on".
    throw new ModbusValueError('out_of_range', property, `${value} does not fit ${visitor.limit} coil(s) (0 to ${max})`);
  }
  return Array.from({ length: visitor.limit }, (_, i) => ((n >> BigInt(i)) & 1n) === 1n);
}
