// dmi's two failures: a call to a mapper that did not succeed (DmiError, what MapperPort rejects with)
// and a request from a mapper we refuse (DmiRequestError, answered as a gRPC status).
import { status as GrpcStatus } from '@grpc/grpc-js';

/**
 * NoMapper: no mapper registered for the protocol; Unavailable: the mapper's socket is gone or it went
 * away mid-call; DeadlineExceeded: no answer in time; Rejected: the mapper answered with an error;
 * InvalidObject: the device or model cannot be sent (no name, no protocol); Stopped: dmi is stopping.
 */
export type DmiErrorCode = 'NoMapper' | 'Unavailable' | 'DeadlineExceeded' | 'Rejected' | 'InvalidObject' | 'Stopped';

export class DmiError extends Error {
  constructor(
    readonly code: DmiErrorCode,
    message: string,
    readonly details: { protocol?: string; mapper?: string; method?: string; grpcCode?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DmiError';
  }
}

/** Calls that failed because the mapper could not be reached: it gets the device again when it registers. */
export function isUnreachable(err: unknown): boolean {
  return err instanceof DmiError && (err.code === 'Unavailable' || err.code === 'DeadlineExceeded' || err.code === 'NoMapper');
}

interface GrpcErrorLike { code?: number; details?: string; message?: string }

export function toDmiError(err: unknown, ctx: { method: string; protocol: string; mapper: string; deadlineMs: number }): DmiError {
  if (err instanceof DmiError) return err;
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as GrpcErrorLike;
  const detail = e.details || e.message || 'no message';
  const details = { protocol: ctx.protocol, mapper: ctx.mapper, method: ctx.method, grpcCode: e.code };
  const where = `DMI ${ctx.method} to mapper ${ctx.mapper}`;
  // We cancel calls only by closing a replaced mapper's client: to the caller that mapper is gone.
  if (e.code === GrpcStatus.UNAVAILABLE || e.code === GrpcStatus.CANCELLED) {
    return new DmiError('Unavailable', `${where}: mapper unavailable: ${detail}`, details, { cause: err });
  }
  if (e.code === GrpcStatus.DEADLINE_EXCEEDED) {
    return new DmiError('DeadlineExceeded', `${where}: no answer within ${ctx.deadlineMs} ms`, details, { cause: err });
  }
  return new DmiError('Rejected', `${where}: ${detail}`, details, { cause: err });
}

/** A request we refuse, with the gRPC status code the mapper receives. */
export class DmiRequestError extends Error {
  constructor(readonly grpcCode: number, message: string) {
    super(message);
    this.name = 'DmiRequestError';
  }
}

export const invalidArgument = (msg: string): DmiRequestError => new DmiRequestError(GrpcStatus.INVALID_ARGUMENT, msg);
export const notFound = (msg: string): DmiRequestError => new DmiRequestError(GrpcStatus.NOT_FOUND, msg);
export const resourceExhausted = (msg: string): DmiRequestError => new DmiRequestError(GrpcStatus.RESOURCE_EXHAUSTED, msg);
