// keadm's two kinds of failure, turned into exit codes once in cli.ts: a command line that makes no
// sense (2) and a command that could not do its job (1).

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Wrong or missing flags: the message says which, the caller adds the usage hint. Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The command could not do its job; the message is for the operator. Exit 1. */
export class KeadmError extends Error {
  override readonly name = 'KeadmError';
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
  }
}
