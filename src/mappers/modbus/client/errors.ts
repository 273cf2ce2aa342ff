// One error class per way a Modbus exchange fails, so callers (the driver, the SDK) can tell a device
// that answered "no" (ModbusError) from one that did not answer at all (timeout, connection).

/** Exception codes of the Modbus application protocol (V1.1b3 §7). */
export const ExceptionNames: Readonly<Record<number, string>> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'server device failure',
  5: 'acknowledge',
  6: 'server device busy',
  8: 'memory parity error',
  10: 'gateway path unavailable',
  11: 'gateway target device failed to respond',
};

/** The device answered with an exception response (function code | 0x80). */
export class ModbusError extends Error {
  override readonly name = 'ModbusError';
  readonly exceptionCode: number;
  readonly functionCode: number;

  constructor(functionCode: number, exceptionCode: number) {
    const what = ExceptionNames[exceptionCode] ?? 'unknown exception';
    super(`modbus exception ${exceptionCode} (${what}) for function ${functionCode}`);
    this.functionCode = functionCode;
    this.exceptionCode = exceptionCode;
  }
}

/** Bytes from the wire that are not a valid Modbus TCP frame, or not the answer to the request sent. */
export class ModbusFrameError extends Error {
  override readonly name = 'ModbusFrameError';
}

/** A request that cannot be encoded: address, quantity or value out of the protocol's range. */
export class ModbusRequestError extends Error {
  override readonly name = 'ModbusRequestError';
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** No response within the request timeout. */
export class ModbusTimeoutError extends Error {
  override readonly name = 'ModbusTimeoutError';
  readonly timeoutMs: number;

  constructor(functionCode: number, timeoutMs: number) {
    super(`modbus request (function ${functionCode}) timed out after ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** The connection could not be opened, was lost, or the client was closed. */
export class ModbusConnectionError extends Error {
  override readonly name = 'ModbusConnectionError';
  readonly address: string;

  constructor(address: string, message: string, cause?: unknown) {
    super(`${address}: ${message}`, cause === undefined ? undefined : { cause });
    this.address = address;
  }
}
