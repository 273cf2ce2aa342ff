// The API server's identity under <dataDir>/pki: a CA, a serving certificate, the admin client
// certificate and the admin bearer token. Created on first start and reused afterwards, so a restart
// never invalidates a kubeconfig; a certificate is reissued (by the same CA) only when it is missing,
// close to expiry, or does not cover every requested host name.
import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { createCA, issueCertificate, verifyIssuedBy, type KeyPairPem } from '../../core/pki/index.js';
import type { UserInfo } from '../objects/index.js';
import { formatTokenLine, parseTokenLine } from './authn.js';

export const adminUser: Readonly<UserInfo> = Object.freeze({ username: 'kubernetes-admin', groups: Object.freeze(['system:masters']) as string[] });

export interface ServingCerts {
  dir: string;
  ca: KeyPairPem;
  serving: KeyPairPem;
  admin: KeyPairPem;
  adminToken: string;
  /** kube-apiserver --token-auth-file format. */
  tokensPath: string;
}

/** Reissue certificates that expire within this many days. */
const renewBeforeDays = 30;
const dayMs = 24 * 3600 * 1000;

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function writePrivate(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
}

async function loadPair(dir: string, base: string): Promise<KeyPairPem | undefined> {
  const certPem = await readIfExists(join(dir, `${base}.crt`));
  const keyPem = await readIfExists(join(dir, `${base}.key`));
  return certPem && keyPem ? { certPem, keyPem } : undefined;
}

async function savePair(dir: string, base: string, pair: KeyPairPem): Promise<void> {
  await writePrivate(join(dir, `${base}.key`), pair.keyPem);
  await writePrivate(join(dir, `${base}.crt`), pair.certPem);
}

async function stillGood(pair: KeyPairPem, ca: KeyPairPem, hosts: readonly string[]): Promise<boolean> {
  const cert = new X509Certificate(pair.certPem);
  if (new Date(cert.validTo).getTime() - Date.now() < renewBeforeDays * dayMs) return false;
  if (!(await verifyIssuedBy(pair.certPem, ca.certPem))) return false;
  return hosts.every((h) => (isIP(h) ? cert.checkIP(h) !== undefined : cert.checkHost(h) !== undefined));
}

async function ensureCA(dir: string): Promise<KeyPairPem> {
  const existing = await loadPair(dir, 'ca');
  if (existing) return existing;
  if (await readIfExists(join(dir, 'ca.crt'))) {
    throw new Error(`${join(dir, 'ca.crt')} exists without ca.key: restore the key or remove both to create a new CA`);
  }
  const ca = await createCA('kubeedge-ts-ca');
  await savePair(dir, 'ca', ca);
  return ca;
}

async function ensureLeaf(dir: string, base: string, ca: KeyPairPem, hosts: readonly string[],
  issue: () => Promise<KeyPairPem>): Promise<KeyPairPem> {
  const existing = await loadPair(dir, base);
  if (existing && (await stillGood(existing, ca, hosts))) return existing;
  const pair = await issue();
  await savePair(dir, base, pair);
  return pair;
}

async function ensureAdminToken(path: string): Promise<string> {
  const text = (await readIfExists(path)) ?? '';
  for (const line of text.split('\n')) {
    const entry = parseTokenLine(line);
    if (entry?.user.username === adminUser.username) return entry.token;
  }
  const token = randomBytes(32).toString('base64url');
  const prefix = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  await writePrivate(path, `${prefix}${formatTokenLine(token, adminUser)}\n`);
  return token;
}

/** `hosts`: every DNS name and IP address clients may dial (SANs of the serving certificate). */
export async function ensureServingCerts(dataDir: string, hosts: readonly string[]): Promise<ServingCerts> {
  const dir = join(dataDir, 'pki');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const unique = [...new Set(hosts.filter((h) => h !== ''))];
  const ca = await ensureCA(dir);
  const serving = await ensureLeaf(dir, 'apiserver', ca, unique, () => issueCertificate(ca, {
    commonName: 'kube-apiserver',
    dnsNames: unique.filter((h) => !isIP(h)),
    ipAddresses: unique.filter((h) => isIP(h)),
    usage: 'server',
  }));
  const admin = await ensureLeaf(dir, 'admin', ca, [], () => issueCertificate(ca, {
    commonName: adminUser.username,
    organization: adminUser.groups,
    usage: 'client',
  }));
  const tokensPath = join(dir, 'tokens.csv');
  const adminToken = await ensureAdminToken(tokensPath);
  return { dir, ca, serving, admin, adminToken, tokensPath };
}
