// The edge's certificate files (edgehub tlsCaFile / tlsCertFile / tlsPrivateKeyFile), read and
// replaced safely: each file is written to a temporary name and renamed, so a reader never sees half a
// PEM, and the key file is 0600.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CertificateError } from './errors.js';

export interface CertPaths {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export interface CurrentCert {
  caPem: string;
  certPem: string;
  keyPem: string;
  cert: X509Certificate;
  notBefore: Date;
  notAfter: Date;
}

export const nodeCommonName = (node: string): string => `system:node:${node}`;

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CertificateError('io', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The current certificate when it is usable: all three files present, the cert names this node
 * (KubeEdge certmanager getCurrent checks the CN), matches the key, is signed by the CA file and is
 * valid at nowMs. Otherwise undefined plus the reason.
 */
export async function readCurrentCert(
  paths: CertPaths, nodeName: string, nowMs: number,
): Promise<{ current: CurrentCert } | { current: undefined; reason: string }> {
  const [caPem, certPem, keyPem] = await Promise.all([readText(paths.caFile), readText(paths.certFile), readText(paths.keyFile)]);
  if (caPem === undefined || certPem === undefined || keyPem === undefined) return { current: undefined, reason: 'no certificate yet' };
  try {
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1];
    if (cn !== nodeCommonName(nodeName)) return { current: undefined, reason: `certificate is for ${cn ?? 'nobody'}, not ${nodeCommonName(nodeName)}` };
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return { current: undefined, reason: 'key does not match certificate' };
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return { current: undefined, reason: 'certificate not signed by the CA file' };
    const notBefore = new Date(cert.validFrom);
    const notAfter = new Date(cert.validTo);
    if (nowMs >= notAfter.getTime()) return { current: undefined, reason: `certificate expired at ${notAfter.toISOString()}` };
    return { current: { caPem, certPem, keyPem, cert, notBefore, notAfter } };
  } catch (err) {
    return { current: undefined, reason: `unreadable certificate files: ${(err as Error).message}` };
  }
}

export async function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(tmp, data, { mode, flag: 'wx' });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new CertificateError('io', `cannot write ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** KubeEdge writes the edge key as an "EC PRIVATE KEY" (SEC1) PEM; so do we. */
export function toSec1Pem(keyPem: string): string {
  return createPrivateKey(keyPem).export({ format: 'pem', type: 'sec1' }).toString();
}

/** Key first, then cert: a crash in between leaves a mismatched pair, which readCurrentCert refuses. */
export async function writeCertAndKey(paths: CertPaths, certPem: string, keyPem: string): Promise<void> {
  await writeFileAtomic(paths.keyFile, toSec1Pem(keyPem), 0o600);
  await writeFileAtomic(paths.certFile, certPem, 0o644);
}
