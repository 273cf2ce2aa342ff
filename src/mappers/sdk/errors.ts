// Typed failures of the mapper SDK. Drivers throw DriverError (or anything: the SDK logs and carries on);
// the DeviceMapperService handlers throw DmiRequestError, which becomes a gRPC status once, at the server.
import { status } from '@grpc/grpc-js';

export type DriverErrorCode = 'invalid_config' | 'not_connected' | 'no_value' | 'read_only' | 'io';

/** A device could not be opened, read or written. The SDK catches it; it never stops the mapper. */
export class DriverError extends Error {
  override readonly name = 'DriverError';
  constructor(
    readonly code: DriverErrorCode,
    message: string,
    opts: { cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
  }
}

export type DmiRequestCode = 'invalid_argument' | 'not_found';

const GRPC_CODES: Readonly<Record<DmiRequestCode, status>> = {
  invalid_argument: status.INVALID_ARGUMENT,
  not_found: status.NOT_FOUND,
};

/** edgecore asked the mapper for something it cannot do (no device in the request, unknown model…). */
export class DmiRequestError extends Error {
  override readonly name = 'DmiRequestError';
  constructor(
    readonly code: DmiRequestCode,
    message: string,
  ) {
    super(message);
  }

  get grpcCode(): status {
    return GRPC_CODES[this.code];
  }
}

/** A call to edgecore's DeviceManagerService failed; `unavailable` means edgecore is not (or no longer) there. */
export class EdgecoreCallError extends Error {
  override readonly name = 'EdgecoreCallError';
  constructor(
    readonly method: string,
    readonly grpcCode: number,
    message: string,
    opts: { cause?: unknown } = {},
  ) {
    super(`${method}: ${message}`, opts.cause === undefined ? undefined : { cause: opts.cause });
  }

  get unavailable(): boolean {
    return this.grpcCode === status.UNAVAILABLE;
  }
}

export type ApiRequestCode = 'bad_request' | 'not_found' | 'method_not_allowed' | 'failed';

/** A request to the mapper's HTTP API that cannot be served; the server turns the code into a status once. */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  constructor(
    readonly code: ApiRequestCode,
    message: string,
    opts: { cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
  }
}

/** The HTTP API could not listen (the port is taken, the address is not local…): a startup error. */
export class HttpListenError extends Error {
  override readonly name = 'HttpListenError';
  constructor(
    readonly address: string,
    readonly port: number,
    /** The system error code: EADDRINUSE, EADDRNOTAVAIL, EACCES… */
    readonly syscallCode: string,
    opts: { cause?: unknown } = {},
  ) {
    super(`cannot serve the HTTP API on ${address}:${port}: ${describeListenCode(syscallCode)}`, opts.cause === undefined ? undefined : { cause: opts.cause });
  }
}

function describeListenCode(code: string): string {
  switch (code) {
    case 'EADDRINUSE': return 'the port is already in use (EADDRINUSE)';
    case 'EADDRNOTAVAIL': return 'the address is not one of this host (EADDRNOTAVAIL)';
    case 'EACCES': return 'permission denied (EACCES)';
    default: return code;
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
