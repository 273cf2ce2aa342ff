// Counters of the certificate service, read by cloudcore's metrics endpoint and by tests.

export type RefusalReason =
  | 'no_credentials'
  | 'token_malformed'
  | 'token_bad_signature'
  | 'token_expired'
  | 'one_time_spent'
  | 'client_cert_invalid'
  | 'client_cert_node_mismatch'
  | 'missing_node_name'
  | 'bad_csr'
  | 'csr_subject_mismatch'
  | 'body_too_large'
  | 'not_found';

export interface CertMetrics {
  /** GET /ca.crt answered. */
  caServed: number;
  /** Certificates signed, by how the request was authorized. */
  issuedWithToken: number;
  issuedWithOneTimeToken: number;
  issuedForRotation: number;
  /** Requests refused, by reason. */
  refused: Record<RefusalReason, number>;
  /** TLS handshakes that failed or timed out. */
  tlsErrors: number;
  /** Times the rotating join token was renewed. */
  tokenRotations: number;
}

export function newCertMetrics(): CertMetrics {
  return {
    caServed: 0,
    issuedWithToken: 0,
    issuedWithOneTimeToken: 0,
    issuedForRotation: 0,
    refused: {
      no_credentials: 0, token_malformed: 0, token_bad_signature: 0, token_expired: 0, one_time_spent: 0,
      client_cert_invalid: 0, client_cert_node_mismatch: 0, missing_node_name: 0, bad_csr: 0,
      csr_subject_mismatch: 0, body_too_large: 0, not_found: 0,
    },
    tlsErrors: 0,
    tokenRotations: 0,
  };
}

export function snapshotMetrics(m: CertMetrics): CertMetrics {
  return { ...m, refused: { ...m.refused } };
}
