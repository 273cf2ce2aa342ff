// Typed failures of edgehub, one class with a code each caller can switch on.

export type EdgeHubErrorCode =
  /** The link is not connected (request() while down, or the link dropped while waiting). */
  | 'link_down'
  /** request() got no response within its timeout. */
  | 'timeout'
  /** request(): the in-memory queue of messages waiting for rate-limit tokens is full. */
  | 'queue_full'
  /** The hub was stopped while the call waited. */
  | 'stopped'
  /** A state change that the LinkState machine does not allow (a programming error). */
  | 'invalid_transition'
  /** Dialing cloudhub failed (TCP, TLS, HTTP upgrade). */
  | 'dial_failed'
  /** The options given to EdgeHub are unusable. */
  | 'bad_options';

export class EdgeHubError extends Error {
  override readonly name = 'EdgeHubError';
  constructor(
    readonly code: EdgeHubErrorCode,
    message: string,
    opts: { cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
  }
}
