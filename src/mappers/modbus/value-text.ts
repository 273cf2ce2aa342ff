// Text ↔ number/boolean for twin values, shared by the register and coil conversions.
import { ModbusValueError } from './errors.js';

/** Parses a desired value as a finite number ("21.5", " 3 "); "" and "abc" are refused. */
export function parseNumber(value: string, property: string): number {
  const n = value.trim() === '' ? NaN : Number(value.trim());
  if (!Number.isFinite(n)) throw new ModbusValueError('bad_value', property, `"${value}" is not a number`);
  return n;
}

/** "true"/"false" (any case) or "1"/"0". */
export function parseBoolean(value: string, property: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new ModbusValueError('bad_value', property, `"${value}" is not a boolean (true/false/1/0)`);
}

/**
 * Shortest text for a number at the given significant digits: float32 registers hold ~7 digits, so
 * 21.3 read back as 21.299999237060547 is reported as "21.3"; scaled doubles drop 0.1-style noise.
 */
export function formatNumber(n: number, digits: number): string {
  if (!Number.isFinite(n)) return String(n);
  return String(Number(n.toPrecision(digits)));
}
