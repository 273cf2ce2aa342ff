export type PkiErrorCode = 'bad_pem' | 'bad_key' | 'bad_certificate' | 'bad_csr' | 'csr_subject_mismatch' | 'bad_input';

/** A certificate, key or CSR that cannot be used, or a CSR that asks for a subject it may not have. */
export class PkiError extends Error {
  override readonly name = 'PkiError';
  constructor(
    readonly code: PkiErrorCode,
    message: string,
    opts: { cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
  }
}
