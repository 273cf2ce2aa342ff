// The driver's own failures: configData it cannot use, and values it cannot read or write.

/** A device's protocol configData or a property's visitor configData is missing a field or has a bad one. */
export class ModbusConfigError extends Error {
  override readonly name = 'ModbusConfigError';
  /** The configData key at fault (e.g. "register", "slaveID"). */
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

export type ModbusValueErrorCode = 'read_only' | 'bad_value' | 'out_of_range';

/** A value that cannot be written (read-only register, not a number, does not fit) or decoded. */
export class ModbusValueError extends Error {
  override readonly name = 'ModbusValueError';
  readonly code: ModbusValueErrorCode;
  readonly property: string;

  constructor(code: ModbusValueErrorCode, property: string, message: string) {
    super(message);
    this.code = code;
    this.property = property;
  }
}
