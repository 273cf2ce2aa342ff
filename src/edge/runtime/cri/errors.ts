// gRPC status -> RuntimeError, translated once at the client boundary. The runtime's own message
// (status details) is kept; the method and socket are added so a log line says where it failed.
import { status as GrpcStatus } from '@grpc/grpc-js';
import { RuntimeError, type RuntimeErrorCode } from '../types.js';

const codes = new Map<number, RuntimeErrorCode>([
  // We never cancel our own calls, so CANCELLED means the runtime reset the stream: it is going away
  // (a server shutting down resets every open call with NGHTTP2_CANCEL).
  [GrpcStatus.CANCELLED, 'Unavailable'],
  [GrpcStatus.UNKNOWN, 'Unknown'],
  [GrpcStatus.INVALID_ARGUMENT, 'InvalidArgument'],
  [GrpcStatus.DEADLINE_EXCEEDED, 'DeadlineExceeded'],
  [GrpcStatus.NOT_FOUND, 'NotFound'],
  [GrpcStatus.ALREADY_EXISTS, 'AlreadyExists'],
  [GrpcStatus.PERMISSION_DENIED, 'PermissionDenied'],
  [GrpcStatus.RESOURCE_EXHAUSTED, 'ResourceExhausted'],
  [GrpcStatus.FAILED_PRECONDITION, 'FailedPrecondition'],
  // ABORTED is a conflict with another operation (e.g. a name being reserved): retry later.
  [GrpcStatus.ABORTED, 'FailedPrecondition'],
  [GrpcStatus.OUT_OF_RANGE, 'InvalidArgument'],
  [GrpcStatus.UNIMPLEMENTED, 'Unimplemented'],
  [GrpcStatus.INTERNAL, 'Unknown'],
  [GrpcStatus.UNAVAILABLE, 'Unavailable'],
  [GrpcStatus.DATA_LOSS, 'Unknown'],
  [GrpcStatus.UNAUTHENTICATED, 'PermissionDenied'],
]);

export function runtimeErrorCode(grpcCode: number | undefined): RuntimeErrorCode {
  return (grpcCode !== undefined && codes.get(grpcCode)) || 'Unknown';
}

interface GrpcErrorLike { code?: number; details?: string; message?: string }

export function toRuntimeError(err: unknown, ctx: { method: string; endpoint: string; deadlineMs: number }): RuntimeError {
  if (err instanceof RuntimeError) return err;
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as GrpcErrorLike;
  const code = runtimeErrorCode(e.code);
  const detail = e.details || e.message || 'no message';
  let message: string;
  if (code === 'Unavailable') message = `CRI ${ctx.method}: runtime on ${ctx.endpoint} unavailable: ${detail}`;
  else if (code === 'DeadlineExceeded') message = `CRI ${ctx.method}: no answer within ${ctx.deadlineMs} ms (${detail})`;
  else message = `CRI ${ctx.method}: ${detail}`;
  return new RuntimeError(code, message, { cause: err });
}
