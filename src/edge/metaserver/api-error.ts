// Errors of the local API, each mapped once to a Kubernetes Status body (meta.k8s.io/v1), as
// client-go and kubectl expect from an API server.
import type { Status } from '../../api/index.js';

export type ApiErrorReason =
  | 'BadRequest'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'Conflict'
  | 'Expired'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'Invalid'
  | 'InternalError';

const codes: Record<ApiErrorReason, number> = {
  BadRequest: 400,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  Conflict: 409,
  Expired: 410,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  Invalid: 422,
  InternalError: 500,
};

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: number;
  constructor(
    readonly reason: ApiErrorReason,
    message: string,
    readonly details: { name?: string; group?: string; kind?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = codes[reason];
  }
}

/** The Status body for any thrown value (unknown errors become a 500 without internals). */
export function statusFor(err: unknown): Status {
  const e = err instanceof ApiError ? err : new ApiError('InternalError', 'internal error');
  const status: Status = { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message: e.message, reason: e.reason, code: e.code };
  if (Object.keys(e.details).length > 0) status.details = { ...e.details };
  return status;
}
