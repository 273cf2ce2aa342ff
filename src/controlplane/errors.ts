// Typed API errors. Every failure inside the control plane is an ApiError; the HTTP layer turns it into a
// Kubernetes meta.k8s.io/v1 Status once, at the boundary.
import type { Status, StatusCause } from '../api/index.js';

export type StatusReason =
  | 'BadRequest' | 'Unauthorized' | 'Forbidden' | 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Gone'
  | 'Invalid' | 'MethodNotAllowed' | 'NotAcceptable' | 'UnsupportedMediaType' | 'RequestEntityTooLarge'
  | 'TooManyRequests' | 'InternalError' | 'Timeout' | 'Expired' | 'ServiceUnavailable';

export interface ApiErrorDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly details: ApiErrorDetails | undefined;

  constructor(code: number, reason: StatusReason, message: string, details?: ApiErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): Status {
    const status: Status = { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) status.details = this.details;
    return status;
  }
}

/** `group` is '' for the core group; `resource` is the plural name as Kubernetes prints it in messages. */
export interface ResourceName { group: string; resource: string }

const qualified = (r: ResourceName): string => (r.group ? `${r.resource}.${r.group}` : r.resource);

export const errors = {
  badRequest: (message: string, causes?: StatusCause[]) => new ApiError(400, 'BadRequest', message, causes ? { causes } : undefined),
  unauthorized: (message = 'Unauthorized') => new ApiError(401, 'Unauthorized', message),
  forbidden: (message: string, r?: ResourceName, name?: string) =>
    new ApiError(403, 'Forbidden', message, r ? { group: r.group, kind: r.resource, ...(name ? { name } : {}) } : undefined),
  notFound: (r: ResourceName, name: string) =>
    new ApiError(404, 'NotFound', `${qualified(r)} "${name}" not found`, { name, group: r.group, kind: r.resource }),
  alreadyExists: (r: ResourceName, name: string) =>
    new ApiError(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists`, { name, group: r.group, kind: r.resource }),
  conflict: (r: ResourceName, name: string, why: string) =>
    new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`, { name, group: r.group, kind: r.resource }),
  gone: (message: string) => new ApiError(410, 'Expired', message),
  invalid: (kind: string, group: string, name: string, causes: StatusCause[]) =>
    new ApiError(422, 'Invalid',
      `${group ? `${kind}.${group}` : kind} "${name}" is invalid: ${causes.map((c) => `${c.field ? `${c.field}: ` : ''}${c.message ?? ''}`).join(', ')}`,
      { name, group, kind, causes }),
  methodNotAllowed: (message: string) => new ApiError(405, 'MethodNotAllowed', message),
  notAcceptable: (message: string) => new ApiError(406, 'NotAcceptable', message),
  unsupportedMediaType: (message: string) => new ApiError(415, 'UnsupportedMediaType', message),
  tooLarge: (message = 'Request entity too large: limit is 3145728') => new ApiError(413, 'RequestEntityTooLarge', message),
  tooManyRequests: (message = 'Too many requests, please try again later.', retryAfterSeconds = 1) =>
    new ApiError(429, 'TooManyRequests', message, { retryAfterSeconds }),
  internal: (message: string, cause?: unknown) => new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, undefined, { cause }),
  timeout: (message: string) => new ApiError(504, 'Timeout', message),
} as const;

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
