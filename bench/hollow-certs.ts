// Client certificates for the hollow fleet, obtained the way an edge joins (DESIGN.md §3): the join
// token from `bin/keadm gettoken`, GET /ca.crt (checked against the token's hash), then one CSR per
// node to /edge.crt with the Bearer JWT and NodeName header. Issued certificates are cached under
// <tmp>/kets-bench-certs/<ca-hash>/ so a rerun against the same CA skips the CSR round.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { caHash, parseJoinToken } from '../src/core/index.js';
import { certDerToPem, createKeyAndCSR } from '../src/core/pki/index.js';
import type { HollowIdentity } from './hollow-edgecore.js';
import { runConcurrent } from './stats.js';

export const CERT_CACHE_ROOT = join(tmpdir(), 'kets-bench-certs');

export interface HollowCertsResult {
  caPem: string;
  identities: HollowIdentity[];
  issued: number;
  cached: number;
  /** Wall time of the whole bootstrap, and of the CSR round alone. */
  seconds: number;
  csrSeconds: number;
}

/** `bin/keadm gettoken --kubeconfig <file>`: the token edge nodes join with. */
export async function getJoinToken(keadm: string, kubeconfig: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [keadm, 'gettoken', '--kubeconfig', kubeconfig], { timeout: 60_000 });
  const token = stdout.trim().split('\n').pop()?.trim() ?? '';
  if (!token.includes('.')) throw new Error('keadm gettoken printed no token');
  return token;
}

interface HttpsReply { status: number; body: Buffer }

function httpsCall(url: string, opts: { ca?: string; headers?: Record<string, string>; body?: Uint8Array }): Promise<HttpsReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'GET',
      // /ca.crt is fetched before we know the CA: it is checked against the token's hash instead.
      ...(opts.ca ? { ca: opts.ca } : { rejectUnauthorized: false }),
      headers: { ...opts.headers, ...(opts.body ? { 'content-length': String(opts.body.byteLength) } : {}) },
      agent: false,
      timeout: 30_000,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.end(opts.body ? Buffer.from(opts.body) : undefined);
  });
}

/** Fetches the CA and a certificate per node (cached), with at most `concurrency` CSRs in flight. */
export async function hollowCertificates(opts: {
  certUrl: string; token: string; nodes: string[]; concurrency?: number; cacheRoot?: string;
}): Promise<HollowCertsResult> {
  const t0 = performance.now();
  const { caHash: wantHash, jwt } = parseJoinToken(opts.token);
  const caReply = await httpsCall(`${opts.certUrl}/ca.crt`, {});
  if (caReply.status !== 200) throw new Error(`GET /ca.crt: ${caReply.status}`);
  const caDer = new Uint8Array(caReply.body);
  const hash = caHash(caDer);
  if (hash !== wantHash) throw new Error('the CA served by cloudcore does not match the token hash');
  const caPem = certDerToPem(caDer);
  const dir = join(opts.cacheRoot ?? CERT_CACHE_ROOT, hash);
  mkdirSync(dir, { recursive: true, mode: 0o700 });

  const identities: HollowIdentity[] = new Array(opts.nodes.length);
  let issued = 0;
  let cached = 0;
  const tCsr = performance.now();
  await runConcurrent(opts.nodes.length, opts.concurrency ?? 32, async (i) => {
    const name = opts.nodes[i] as string;
    const file = join(dir, `${name}.json`);
    if (existsSync(file)) {
      identities[i] = JSON.parse(readFileSync(file, 'utf8')) as HollowIdentity;
      cached++;
      return;
    }
    const { keyPem, csrDer } = await createKeyAndCSR({ commonName: `system:node:${name}`, organization: ['system:nodes'] });
    const reply = await httpsCall(`${opts.certUrl}/edge.crt`, {
      ca: caPem, body: csrDer, headers: { authorization: `Bearer ${jwt}`, nodename: name, 'content-type': 'application/octet-stream' },
    });
    if (reply.status !== 200) throw new Error(`GET /edge.crt for ${name}: ${reply.status} ${reply.body.toString('utf8').slice(0, 200)}`);
    const id: HollowIdentity = { name, certPem: certDerToPem(new Uint8Array(reply.body)), keyPem };
    writeFileSync(file, JSON.stringify(id), { mode: 0o600 });
    identities[i] = id;
    issued++;
  });
  const now = performance.now();
  return { caPem, identities, issued, cached, seconds: (now - t0) / 1000, csrSeconds: (now - tCsr) / 1000 };
}
