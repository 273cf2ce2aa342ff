// Pure parsing of the modbus protocol's configData, in the shapes KubeEdge users write:
//   device  protocol.configData:  { ip, port, slaveID }          (v1beta1; v1alpha2's { tcp: { ip, port } } too)
//   visitor configData:           { register, offset, limit, scale, isSwap, isRegisterSwap }
// Keys match case-insensitively and numbers/booleans may come as strings, because KubeEdge's own e2e
// devices write { "Register": "CoilRegister", "Offset": "2", "IsSwap": "true" }.
import { ModbusConfigError } from './errors.js';

export const RegisterKinds = ['CoilRegister', 'DiscreteInputRegister', 'HoldingRegister', 'InputRegister'] as const;
export type RegisterKind = (typeof RegisterKinds)[number];

export interface ModbusEndpoint {
  host: string;
  port: number;
  /** slaveID: the MBAP unit id. */
  unitId: number;
}

export interface ModbusVisitor {
  register: RegisterKind;
  /** Address of the first coil/register (0-based, as on the wire). */
  offset: number;
  /** Number of coils or 16-bit registers the property spans. */
  limit: number;
  /** Reported value = raw value × scale; written raw = value / scale. */
  scale: number;
  /** Swap the two bytes inside each register. */
  isSwap: boolean;
  /** Reverse the order of the registers (word swap for 32/64-bit values). */
  isRegisterSwap: boolean;
  /** Our extension (not in KubeEdge): read integer registers as two's complement. Default false. */
  signed: boolean;
}

/** The standard Modbus TCP port. */
export const DEFAULT_MODBUS_PORT = 502;

export function parseEndpoint(configData: Record<string, unknown>): ModbusEndpoint {
  const tcp = lookup(configData, 'tcp');
  const data = isRecord(tcp) ? { ...configData, ...tcp } : configData;
  const host = lookup(data, 'ip') ?? lookup(data, 'host');
  if (typeof host !== 'string' || host === '') {
    throw new ModbusConfigError('ip', 'modbus protocol configData needs "ip" (the device address; serial/RTU is not supported)');
  }
  return {
    host,
    port: integer(data, 'port', DEFAULT_MODBUS_PORT, 1, 65535),
    unitId: integer(data, 'slaveID', 1, 0, 255),
  };
}

export function parseVisitor(configData: Record<string, unknown>): ModbusVisitor {
  const name = lookup(configData, 'register');
  const register = RegisterKinds.find((k) => typeof name === 'string' && k.toLowerCase() === name.toLowerCase());
  if (register === undefined) {
    throw new ModbusConfigError('register', `visitor "register" is ${JSON.stringify(name)}, expected one of ${RegisterKinds.join(', ')}`);
  }
  const bitRegister = register === 'CoilRegister' || register === 'DiscreteInputRegister';
  const offset = integer(configData, 'offset', undefined, 0, 65535);
  const limit = integer(configData, 'limit', 1, 1, bitRegister ? 2000 : 125);
  if (offset + limit > 65536) throw new ModbusConfigError('limit', `offset ${offset} + limit ${limit} passes address 65535`);
  const scale = number(configData, 'scale', 1);
  if (scale === 0 || !Number.isFinite(scale)) throw new ModbusConfigError('scale', 'visitor "scale" must be a non-zero number');
  return {
    register,
    offset,
    limit,
    scale,
    isSwap: boolean(configData, 'isSwap'),
    isRegisterSwap: boolean(configData, 'isRegisterSwap'),
    signed: boolean(configData, 'signed'),
  };
}

export function isReadOnly(register: RegisterKind): boolean {
  return register === 'DiscreteInputRegister' || register === 'InputRegister';
}

function lookup(data: Record<string, unknown>, key: string): unknown {
  if (key in data) return data[key];
  const lower = key.toLowerCase();
  const found = Object.keys(data).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : data[found];
}

function number(data: Record<string, unknown>, key: string, fallback: number | undefined): number {
  const raw = lookup(data, key);
  if (raw === undefined || raw === null || raw === '') {
    if (fallback === undefined) throw new ModbusConfigError(key, `configData needs "${key}"`);
    return fallback;
  }
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : NaN;
  if (!Number.isFinite(n)) throw new ModbusConfigError(key, `configData "${key}" is ${JSON.stringify(raw)}, not a number`);
  return n;
}

function integer(data: Record<string, unknown>, key: string, fallback: number | undefined, min: number, max: number): number {
  const n = number(data, key, fallback);
  if (!Number.isInteger(n) || n < min || n > max) throw new ModbusConfigError(key, `configData "${key}" is ${n}, expected an integer ${min}-${max}`);
  return n;
}

function boolean(data: Record<string, unknown>, key: string): boolean {
  const raw = lookup(data, key);
  if (raw === undefined || raw === null || raw === '') return false;
  if (typeof raw === 'boolean') return raw;
  if (raw === 1 || raw === 0) return raw === 1;
  if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim())) return raw.trim().toLowerCase() === 'true';
  throw new ModbusConfigError(key, `configData "${key}" is ${JSON.stringify(raw)}, not a boolean`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
