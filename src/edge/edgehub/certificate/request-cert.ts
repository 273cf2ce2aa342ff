// One round of "make a key and CSR, send it to /edge.crt, check what comes back" shared by the
// bootstrap (token) and the rotation (current client cert).
import { X509Certificate } from 'node:crypto';
import { certRequest, hostPort } from './cert-http.js';
import { CertificateError } from './errors.js';
import { nodeCommonName } from './cert-files.js';

/** KubeEdge's certmanager asks for O system:nodes. */
const NODE_ORGANIZATION = 'system:nodes';
const CERT_URL_PATH = '/edge.crt';

export interface EdgeCertAuth {
  /** The JWT (the join token without its CA hash). */
  jwt?: string;
  client?: { certPem: string; keyPem: string };
}

export async function requestEdgeCert(opts: {
  httpServer: URL;
  nodeName: string;
  caPem: string;
  auth: EdgeCertAuth;
  timeoutMs?: number;
}): Promise<{ certPem: string; keyPem: string; cert: X509Certificate }> {
  // Loaded on demand: X.509 code is only needed while requesting a certificate.
  const { certDerToPem, createKeyAndCSR } = await import('../../../core/pki/index.js');
  const { keyPem, csrDer } = await createKeyAndCSR({ commonName: nodeCommonName(opts.nodeName), organization: [NODE_ORGANIZATION] });
  const url = new URL(CERT_URL_PATH, opts.httpServer);
  const headers: Record<string, string> = { NodeName: opts.nodeName };
  if (opts.auth.jwt) headers['Authorization'] = `Bearer ${opts.auth.jwt}`;
  const answer = await certRequest({ url, body: csrDer, headers, caPem: opts.caPem, client: opts.auth.client, timeoutMs: opts.timeoutMs });
  if (answer.status !== 200) {
    const text = answer.body.toString('utf8').trim().slice(0, 500) || `HTTP ${answer.status}`;
    const where = hostPort(url);
    if (answer.status === 401 && !opts.auth.client) {
      throw new CertificateError('token_rejected', `the cloud at ${where} rejected the token: ${text}`, { status: answer.status });
    }
    throw new CertificateError('refused', `the cloud at ${where} refused the certificate request (HTTP ${answer.status}): ${text}`, { status: answer.status });
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(answer.body);
  } catch (err) {
    throw new CertificateError('bad_response', `the answer from ${hostPort(url)} is not a DER certificate`, { cause: err });
  }
  const ca = new X509Certificate(opts.caPem);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) {
    throw new CertificateError('bad_response', 'the issued certificate is not signed by the cloud CA');
  }
  return { certPem: certDerToPem(new Uint8Array(answer.body)), keyPem, cert };
}
