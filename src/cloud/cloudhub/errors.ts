export type CloudHubErrorCode = 'bad_option' | 'listen_failed' | 'not_started';

/** A failure of cloudhub itself (configuration, listening); per-message problems are counted, not thrown. */
export class CloudHubError extends Error {
  override readonly name = 'CloudHubError';
  constructor(
    readonly code: CloudHubErrorCode,
    message: string,
    opts: { cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
  }
}
