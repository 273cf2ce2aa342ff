// Typed failures of eventbus, one class with a code each caller can switch on. Runtime trouble with a
// broker (gone, refusing us, garbage) is never thrown: it shows in externalState() and the metrics.

export type EventBusErrorCode =
  /** The options given to EventBus are unusable (mode, URL scheme, ports). */
  | 'bad_options'
  /** A TLS file of the external broker could not be read. */
  | 'tls_files'
  /** The embedded broker could not listen on its address (port taken, no permission). */
  | 'listen_failed'
  /** start() on a bus already started or stopped. */
  | 'bad_state';

export class EventBusError extends Error {
  override readonly name = 'EventBusError';
  constructor(
    readonly code: EventBusErrorCode,
    message: string,
    opts: { cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
  }
}
