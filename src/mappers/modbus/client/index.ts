// Modbus TCP client: a pure frame codec (frame-codec, adu-reader) and the socket part (tcp-client).
export { FunctionCodes, MBAP_LENGTH, MAX_PDU_LENGTH, encodeRequest, decodeResponse, validateRequest, packBits, unpackBits } from './frame-codec.js';
export type { ModbusRequest, ModbusResult, ReadFunctionCode } from './frame-codec.js';
export { AduReader } from './adu-reader.js';
export type { ModbusAdu } from './adu-reader.js';
export { ModbusTcpClient } from './tcp-client.js';
export type { ModbusTcpClientOptions, ModbusClientState } from './tcp-client.js';
export {
  ModbusError, ModbusFrameError, ModbusRequestError, ModbusTimeoutError, ModbusConnectionError, ExceptionNames,
} from './errors.js';
