// A tiny HTTPS client for tests that talk to our API server the way kubectl does: TLS verified against
// the kubeconfig's CA, authenticated with its client certificate, a bearer token, or nothing.
import { readFile } from 'node:fs/promises';
import { request, type RequestOptions } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { parse } from 'yaml';

export interface KubeconfigCredentials {
  server: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

export async function readKubeconfig(path: string): Promise<KubeconfigCredentials> {
  const doc = parse(await readFile(path, 'utf8')) as {
    clusters: { cluster: Record<string, string> }[];
    users: { user: Record<string, string> }[];
  };
  const cluster = doc.clusters[0]?.cluster ?? {};
  const user = doc.users[0]?.user ?? {};
  const dec = (v: string | undefined): string => Buffer.from(v ?? '', 'base64').toString('utf8');
  return {
    server: cluster['server'] ?? '',
    caPem: dec(cluster['certificate-authority-data']),
    certPem: dec(user['client-certificate-data']),
    keyPem: dec(user['client-key-data']),
  };
}

export type Auth = { kind: 'cert' } | { kind: 'token'; token: string } | { kind: 'none' };

export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface SendOptions {
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  auth?: Auth;
}

export class TestHttpsClient {
  constructor(readonly creds: KubeconfigCredentials) {}

  options(method: string, path: string, o: SendOptions = {}): RequestOptions {
    const url = new URL(path, this.creds.server);
    const auth = o.auth ?? { kind: 'cert' };
    const headers: Record<string, string | number> = { ...o.headers };
    if (auth.kind === 'token') headers['Authorization'] = `Bearer ${auth.token}`;
    // Node sends DELETE bodies without framing unless told the length.
    if (o.body !== undefined && headers['Content-Length'] === undefined) headers['Content-Length'] = Buffer.byteLength(o.body);
    return {
      method, hostname: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, headers,
      ca: this.creds.caPem, agent: false,
      ...(auth.kind === 'cert' ? { cert: this.creds.certPem, key: this.creds.keyPem } : {}),
    };
  }

  /** Sends a request and reads the whole answer. */
  send(method: string, path: string, o: SendOptions = {}): Promise<TestResponse> {
    return new Promise((resolve, reject) => {
      const req = request(this.options(method, path, o), (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(o.body);
    });
  }

  /** Opens a streaming GET (watch); lines arrive through `onLine`. */
  stream(path: string, onLine: (line: string) => void, o: SendOptions = {}): Promise<{ res: IncomingMessage; abort: () => void; ended: Promise<void> }> {
    return new Promise((resolve, reject) => {
      const req = request(this.options('GET', path, o), (res) => {
        let buf = '';
        const ended = new Promise<void>((done) => {
          res.on('end', done);
          res.on('close', done);
          res.on('error', () => done());
        });
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            onLine(buf.slice(0, nl));
            buf = buf.slice(nl + 1);
          }
        });
        resolve({ res, abort: () => req.destroy(), ended });
      });
      req.on('error', (err) => reject(err));
      req.end();
    });
  }
}
