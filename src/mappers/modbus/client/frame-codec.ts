// Pure Modbus TCP codec: requests to bytes, response PDUs to values. No sockets, no timers.
// Frame = MBAP header (transaction id u16, protocol id u16 = 0, length u16 = unit id + PDU, unit id u8)
// followed by the PDU (function code u8 + data). All multi-byte fields are big-endian.
import { ModbusError, ModbusFrameError, ModbusRequestError } from './errors.js';

export const FunctionCodes = {
  readCoils: 1,
  readDiscreteInputs: 2,
  readHoldingRegisters: 3,
  readInputRegisters: 4,
  writeSingleCoil: 5,
  writeSingleRegister: 6,
  writeMultipleCoils: 15,
  writeMultipleRegisters: 16,
} as const;

export type ReadFunctionCode = 1 | 2 | 3 | 4;

export type ModbusRequest =
  | { functionCode: ReadFunctionCode; address: number; quantity: number }
  | { functionCode: 5; address: number; value: boolean }
  | { functionCode: 6; address: number; value: number }
  | { functionCode: 15; address: number; values: readonly boolean[] }
  | { functionCode: 16; address: number; values: readonly number[] };

export type ModbusResult =
  | { kind: 'bits'; values: boolean[] }
  | { kind: 'registers'; values: number[] }
  | { kind: 'written'; address: number; quantity: number };

/** MBAP header (7 bytes). */
export const MBAP_LENGTH = 7;
/** The largest PDU the protocol allows (Modbus over serial line limit carried over to TCP). */
export const MAX_PDU_LENGTH = 253;

/** Quantity limits per function code, from the Modbus application protocol specification. */
const MAX_QUANTITY: Record<ReadFunctionCode | 15 | 16, number> = { 1: 2000, 2: 2000, 3: 125, 4: 125, 15: 1968, 16: 123 };

const COIL_ON = 0xff00;

/** Throws ModbusRequestError when the request cannot be put on the wire. */
export function validateRequest(req: ModbusRequest): void {
  checkU16('address', req.address);
  switch (req.functionCode) {
    case 1: case 2: case 3: case 4:
      checkQuantity(req.functionCode, req.quantity, req.address);
      return;
    case 5:
      return;
    case 6:
      checkU16('value', req.value);
      return;
    case 15:
      checkQuantity(15, req.values.length, req.address);
      return;
    case 16:
      checkQuantity(16, req.values.length, req.address);
      req.values.forEach((v, i) => checkU16(`values[${i}]`, v));
      return;
    default:
      throw new ModbusRequestError('functionCode', `unsupported function code ${(req as { functionCode: unknown }).functionCode}`);
  }
}

/** Encodes one request as a complete Modbus TCP frame (MBAP header + PDU). */
export function encodeRequest(transactionId: number, unitId: number, req: ModbusRequest): Buffer {
  checkU16('transactionId', transactionId);
  if (!Number.isInteger(unitId) || unitId < 0 || unitId > 255) throw new ModbusRequestError('unitId', `unit id ${unitId} is not 0-255`);
  validateRequest(req);
  const pdu = encodePdu(req);
  const frame = Buffer.alloc(MBAP_LENGTH + pdu.length);
  frame.writeUInt16BE(transactionId, 0);
  frame.writeUInt16BE(0, 2);
  frame.writeUInt16BE(pdu.length + 1, 4);
  frame.writeUInt8(unitId, 6);
  pdu.copy(frame, MBAP_LENGTH);
  return frame;
}

function encodePdu(req: ModbusRequest): Buffer {
  switch (req.functionCode) {
    case 1: case 2: case 3: case 4:
      return fiveBytes(req.functionCode, req.address, req.quantity);
    case 5:
      return fiveBytes(5, req.address, req.value ? COIL_ON : 0);
    case 6:
      return fiveBytes(6, req.address, req.value);
    case 15: {
      const packed = packBits(req.values);
      return Buffer.concat([sixBytes(15, req.address, req.values.length, packed.length), packed]);
    }
    case 16: {
      const data = Buffer.alloc(req.values.length * 2);
      req.values.forEach((v, i) => data.writeUInt16BE(v, i * 2));
      return Buffer.concat([sixBytes(16, req.address, req.values.length, data.length), data]);
    }
  }
}

/**
 * Decodes the PDU answering `req`. Throws ModbusError for an exception response and ModbusFrameError
 * when the PDU is malformed or does not answer this request (wrong function, byte count or echo).
 */
export function decodeResponse(req: ModbusRequest, pdu: Uint8Array): ModbusResult {
  const buf = Buffer.from(pdu.buffer, pdu.byteOffset, pdu.byteLength);
  if (buf.length < 2) throw new ModbusFrameError(`response PDU of ${buf.length} bytes is too short`);
  const fc = buf.readUInt8(0);
  if (fc === (req.functionCode | 0x80)) {
    if (buf.length !== 2) throw new ModbusFrameError(`exception response of ${buf.length} bytes, expected 2`);
    throw new ModbusError(req.functionCode, buf.readUInt8(1));
  }
  if (fc !== req.functionCode) throw new ModbusFrameError(`response function ${fc} does not answer request function ${req.functionCode}`);
  switch (req.functionCode) {
    case 1: case 2:
      return { kind: 'bits', values: unpackBits(readCounted(buf, Math.ceil(req.quantity / 8)), req.quantity) };
    case 3: case 4: {
      const data = readCounted(buf, req.quantity * 2);
      return { kind: 'registers', values: Array.from({ length: req.quantity }, (_, i) => data.readUInt16BE(i * 2)) };
    }
    case 5:
      expectEcho(buf, req.address, req.value ? COIL_ON : 0);
      return { kind: 'written', address: req.address, quantity: 1 };
    case 6:
      expectEcho(buf, req.address, req.value);
      return { kind: 'written', address: req.address, quantity: 1 };
    case 15: case 16:
      expectEcho(buf, req.address, req.values.length);
      return { kind: 'written', address: req.address, quantity: req.values.length };
  }
}

/** Packs booleans LSB first: bit 0 of byte 0 is the first value (Modbus coil order). */
export function packBits(values: readonly boolean[]): Buffer {
  const out = Buffer.alloc(Math.ceil(values.length / 8));
  values.forEach((v, i) => {
    if (v) out[i >> 3] = (out[i >> 3] ?? 0) | (1 << (i & 7));
  });
  return out;
}

export function unpackBits(bytes: Uint8Array, count: number): boolean[] {
  return Array.from({ length: count }, (_, i) => (((bytes[i >> 3] ?? 0) >> (i & 7)) & 1) === 1);
}

function readCounted(buf: Buffer, expected: number): Buffer {
  const count = buf.readUInt8(1);
  if (count !== expected) throw new ModbusFrameError(`byte count ${count}, expected ${expected}`);
  if (buf.length !== 2 + count) throw new ModbusFrameError(`response PDU has ${buf.length - 2} data bytes, byte count says ${count}`);
  return buf.subarray(2);
}

function expectEcho(buf: Buffer, address: number, second: number): void {
  if (buf.length !== 5) throw new ModbusFrameError(`write response of ${buf.length} bytes, expected 5`);
  const gotAddress = buf.readUInt16BE(1);
  const gotSecond = buf.readUInt16BE(3);
  if (gotAddress !== address || gotSecond !== second) {
    throw new ModbusFrameError(`write response echoes ${gotAddress}/${gotSecond}, sent ${address}/${second}`);
  }
}

function fiveBytes(fc: number, a: number, b: number): Buffer {
  const pdu = Buffer.alloc(5);
  pdu.writeUInt8(fc, 0);
  pdu.writeUInt16BE(a, 1);
  pdu.writeUInt16BE(b, 3);
  return pdu;
}

function sixBytes(fc: number, a: number, b: number, c: number): Buffer {
  const head = Buffer.alloc(6);
  head.writeUInt8(fc, 0);
  head.writeUInt16BE(a, 1);
  head.writeUInt16BE(b, 3);
  head.writeUInt8(c, 5);
  return head;
}

function checkU16(field: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new ModbusRequestError(field, `${field} ${v} is not an integer 0-65535`);
}

function checkQuantity(fc: ReadFunctionCode | 15 | 16, quantity: number, address: number): void {
  const max = MAX_QUANTITY[fc];
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > max) {
    throw new ModbusRequestError('quantity', `quantity ${quantity} for function ${fc} is not 1-${max}`);
  }
  if (address + quantity > 0x10000) throw new ModbusRequestError('quantity', `address ${address} + quantity ${quantity} passes 65535`);
}
