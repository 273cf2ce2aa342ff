// The two requests of KubeEdge's edgehub certmanager: GET /ca.crt over TLS without verification (the
// CA is checked against the token's hash afterwards), and GET /edge.crt with the CSR DER as the body,
// over TLS verified against that CA, carrying `Authorization: Bearer <jwt>` or the current client
// certificate, and the `NodeName` header.
import { request } from 'node:https';
import { isIP } from 'node:net';
import { CertificateError } from './errors.js';

/** KubeEdge constants.MaxRespBodyLength: 1 MiB. */
const MAX_RESPONSE_BYTES = 1 << 20;
/** KubeEdge's certificate http client: 30 s connect timeout. */
export const DEFAULT_TIMEOUT_MS = 30_000;

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED',
]);

export interface CertCall {
  url: URL;
  body?: Uint8Array;
  headers?: Record<string, string>;
  /** PEM CA to verify the server with; absent: no verification (only for /ca.crt). */
  caPem?: string;
  /** Client certificate for mutual TLS (the rotation path). */
  client?: { certPem: string; keyPem: string };
  timeoutMs?: number;
}

export interface CertAnswer {
  status: number;
  body: Buffer;
}

export const hostPort = (url: URL): string => `${url.hostname}:${url.port || '443'}`;

function translate(err: unknown, url: URL): CertificateError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const where = hostPort(url);
  if (NETWORK_CODES.has(code)) {
    return new CertificateError('unreachable', `cannot reach the certificate service at ${where}: ${code}`, { cause: err });
  }
  const msg = err instanceof Error ? err.message : String(err);
  if (/CERT|SSL|TLS|self.signed|altname|verify/i.test(`${code} ${msg}`)) {
    return new CertificateError('tls_failed', `TLS to ${where} failed: ${msg}`, { cause: err });
  }
  return new CertificateError('unreachable', `request to ${where} failed: ${msg}`, { cause: err });
}

export function certRequest(call: CertCall): Promise<CertAnswer> {
  const { url } = call;
  const timeoutMs = call.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const body = call.body ?? new Uint8Array();
    const req = request({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || 443,
      path: url.pathname,
      method: 'GET',
      headers: { ...call.headers, 'Content-Length': String(body.length), ...(body.length ? { 'Content-Type': 'application/octet-stream' } : {}) },
      rejectUnauthorized: call.caPem !== undefined,
      ...(call.caPem !== undefined ? { ca: call.caPem } : {}),
      ...(isIP(url.hostname.replace(/^\[|\]$/g, '')) === 0 ? { servername: url.hostname } : {}),
      ...(call.client ? { cert: call.client.certPem, key: call.client.keyPem } : {}),
      agent: false,
      timeout: timeoutMs,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_RESPONSE_BYTES) {
          res.destroy();
          reject(new CertificateError('bad_response', `answer from ${hostPort(url)} is over ${MAX_RESPONSE_BYTES} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', (err) => reject(translate(err, url)));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', (err) => reject(translate(err, url)));
    req.end(Buffer.from(body));
  });
}
