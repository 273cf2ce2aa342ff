export type CertificateErrorCode =
  /** Connection refused, name not found, timeout...: the message names host:port. */
  | 'unreachable'
  /** The token is not a KubeEdge join token (or there is none and no certificate either). */
  | 'bad_token'
  /** The CA served by the cloud does not hash to the token's prefix. */
  | 'ca_hash_mismatch'
  /** 401 from /edge.crt: expired, bad signature, spent one-time token; the server's text is kept. */
  | 'token_rejected'
  /** Any other non-200 answer (bad CSR, client cert refused, server error). */
  | 'refused'
  /** The TLS session to /edge.crt could not be verified against the downloaded CA. */
  | 'tls_failed'
  /** The answer is not a certificate for this node from this CA. */
  | 'bad_response'
  /** Reading or writing the certificate files failed. */
  | 'io';

/** Why the edge could not get (or renew) its certificate; the message is fit for an operator. */
export class CertificateError extends Error {
  override readonly name = 'CertificateError';
  constructor(
    readonly code: CertificateErrorCode,
    message: string,
    opts: { cause?: unknown; status?: number } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.status = opts.status;
  }

  /** HTTP status when the server answered. */
  readonly status: number | undefined;
}
