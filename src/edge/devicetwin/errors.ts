// Why a twin request was refused. Each maps to a code on the …/result topic (KubeEdge's dtcommon codes).
import { TwinResultCodes } from '../../core/index.js';

export type TwinErrorCode = (typeof TwinResultCodes)[keyof typeof TwinResultCodes];

/** A request that gets an error result: `code` and `reason` go on the result topic as they are. */
export class TwinRequestError extends Error {
  override readonly name = 'TwinRequestError';
  readonly code: TwinErrorCode;
  /** The event_id of the request when it could be read, echoed on the result. */
  readonly eventId: string;

  constructor(code: TwinErrorCode, reason: string, opts: { eventId?: string; cause?: unknown } = {}) {
    super(reason, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.eventId = opts.eventId ?? '';
  }

  static badRequest(reason: string, eventId?: string): TwinRequestError {
    return new TwinRequestError(TwinResultCodes.badRequest, reason, eventId === undefined ? {} : { eventId });
  }
  static notFound(reason: string): TwinRequestError {
    return new TwinRequestError(TwinResultCodes.notFound, reason);
  }
  static conflict(reason: string): TwinRequestError {
    return new TwinRequestError(TwinResultCodes.conflict, reason);
  }
}
