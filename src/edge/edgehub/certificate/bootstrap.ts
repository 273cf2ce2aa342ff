// First start of a node (KubeEdge certmanager Start/applyCerts): keep a usable certificate, or use
// the join token to get one. The token's first part is the SHA-256 of the CA DER, so the CA fetched
// without TLS verification is trusted only if it hashes to it; then the CSR goes over TLS verified
// against that CA.
import { X509Certificate } from 'node:crypto';
import { caHash, parseJoinToken, TokenError, type Logger } from '../../../core/index.js';
import { certRequest, hostPort, type CertAnswer } from './cert-http.js';
import { readCurrentCert, writeCertAndKey, writeFileAtomic, type CertPaths } from './cert-files.js';
import { CertificateError } from './errors.js';
import { requestEdgeCert } from './request-cert.js';

const CA_URL_PATH = '/ca.crt';

export interface BootstrapOptions extends CertPaths {
  /** The certificate service, e.g. https://10.0.0.1:10002 (edgehub httpServer). */
  httpServer: string;
  /** The join token; may be empty when a usable certificate already exists. */
  token: string;
  nodeName: string;
  now?: () => number;
  log: Logger;
  timeoutMs?: number;
}

export interface BootstrapResult {
  /** 'existing': the files on disk were usable; 'issued': a new certificate was obtained with the token. */
  status: 'existing' | 'issued';
  notAfter: Date;
}

function parseServer(httpServer: string): URL {
  try {
    const url = new URL(httpServer);
    if (url.protocol !== 'https:') throw new Error('not https');
    return url;
  } catch (err) {
    throw new CertificateError('unreachable', `certificate service address "${httpServer}" is not an https://host:port URL`, { cause: err });
  }
}

function parseToken(token: string): { caHash: string; jwt: string } {
  try {
    return parseJoinToken(token);
  } catch (err) {
    const why = err instanceof TokenError ? err.message : String(err);
    throw new CertificateError('bad_token', `the join token is malformed: ${why}`, { cause: err });
  }
}

async function fetchCA(url: URL, timeoutMs: number | undefined): Promise<Uint8Array> {
  const answer: CertAnswer = await certRequest({ url: new URL(CA_URL_PATH, url), timeoutMs });
  if (answer.status !== 200) {
    throw new CertificateError('refused', `GET ${CA_URL_PATH} at ${hostPort(url)} answered HTTP ${answer.status}`, { status: answer.status });
  }
  return new Uint8Array(answer.body);
}

function checkCA(der: Uint8Array, expected: string, url: URL): void {
  const actual = caHash(der);
  if (actual !== expected) {
    throw new CertificateError('ca_hash_mismatch',
      `the CA served by ${hostPort(url)} has SHA-256 ${actual}, but the token expects ${expected}: ` +
      'the token belongs to another cloudcore, or something between this node and the cloud is not the cloudcore');
  }
  try {
    new X509Certificate(Buffer.from(der));
  } catch (err) {
    throw new CertificateError('bad_response', `the CA served by ${hostPort(url)} is not a DER certificate`, { cause: err });
  }
}

export async function bootstrapCertificates(opts: BootstrapOptions): Promise<BootstrapResult> {
  const now = opts.now ?? Date.now;
  const url = parseServer(opts.httpServer);
  const token = opts.token.trim();
  const parsed = token === '' ? undefined : parseToken(token);
  const existing = await readCurrentCert(opts, opts.nodeName, now());
  // A token for another CA means the node is being joined elsewhere: the old cert is of no use.
  const sameCA = existing.current !== undefined && (parsed === undefined || caHash(pemCaDer(existing.current.caPem)) === parsed.caHash);
  if (existing.current && sameCA) {
    opts.log.info('certificate loaded', { notAfter: existing.current.notAfter.toISOString() });
    return { status: 'existing', notAfter: existing.current.notAfter };
  }
  if (!parsed) {
    const why = existing.current ? 'does not match' : existing.reason;
    throw new CertificateError('bad_token', `no usable certificate (${why}) and no join token to request one`);
  }
  opts.log.info('certificate requesting', { server: hostPort(url), reason: existing.current ? 'token for another ca' : existing.reason });
  const caDer = await fetchCA(url, opts.timeoutMs);
  checkCA(caDer, parsed.caHash, url);
  // X.509 code (about 20 MiB) is loaded only when a node bootstraps or rotates its certificate.
  const { certDerToPem } = await import('../../../core/pki/index.js');
  const caPem = certDerToPem(caDer);
  await writeFileAtomic(opts.caFile, caPem, 0o644);
  const issued = await requestEdgeCert({ httpServer: url, nodeName: opts.nodeName, caPem, auth: { jwt: parsed.jwt }, timeoutMs: opts.timeoutMs });
  await writeCertAndKey(opts, issued.certPem, issued.keyPem);
  const notAfter = new Date(issued.cert.validTo);
  opts.log.info('certificate issued', { notAfter: notAfter.toISOString() });
  return { status: 'issued', notAfter };
}

function pemCaDer(caPem: string): Uint8Array {
  return new Uint8Array(new X509Certificate(caPem).raw);
}
