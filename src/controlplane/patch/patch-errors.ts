// The two failures patch code reports besides 400/415: a patch that is well-formed but cannot be applied
// (422 Invalid, as the API server answers for a failing JSON patch), and apply conflicts (409).
import type { StatusCause } from '../../api/index.js';
import { ApiError } from '../errors.js';

/** 422 with our own message. errors.invalid() needs an object name and field causes, which a patch
 *  failure deep inside a document does not have; the reason and code are the same. */
export function patchInvalid(message: string): ApiError {
  return new ApiError(422, 'Invalid', message);
}

/** 409 for server-side apply conflicts. Kubernetes' message is not the "Operation cannot be fulfilled"
 *  form of errors.conflict(), so the ApiError is built here; causes carry one entry per field. */
export function applyConflict(message: string, causes: StatusCause[]): ApiError {
  return new ApiError(409, 'Conflict', message, { causes });
}
