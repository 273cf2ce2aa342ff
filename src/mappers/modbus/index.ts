// The Modbus TCP mapper: a DeviceDriver for protocol "modbus" and the client it is built on.
export { ModbusDriver, MODBUS_PROTOCOL } from './driver.js';
export type { ModbusDriverOptions } from './driver.js';
export { parseEndpoint, parseVisitor, isReadOnly, RegisterKinds, DEFAULT_MODBUS_PORT } from './config.js';
export type { ModbusEndpoint, ModbusVisitor, RegisterKind } from './config.js';
export { registersToValue, valueToRegisters } from './register-values.js';
export { bitsToValue, valueToBits } from './bit-values.js';
export { ModbusConfigError, ModbusValueError } from './errors.js';
export type { ModbusValueErrorCode } from './errors.js';
export * from './client/index.js';
