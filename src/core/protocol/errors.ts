export type ProtocolErrorCode =
  | 'malformed_json'
  | 'bad_encoding'
  | 'bad_shape'
  | 'too_large'
  | 'bad_resource'
  | 'bad_topic';

/** Thrown by the pure codecs and parsers of this module when input does not match the wire format. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly code: ProtocolErrorCode;
  /** Dotted path of the offending field, when the error is about one field (e.g. "route.group"). */
  readonly field: string | undefined;

  constructor(code: ProtocolErrorCode, message: string, opts: { field?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.field = opts.field;
  }
}
