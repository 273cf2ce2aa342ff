// cloudcore's serving certificate (KubeEdge createCertsToSecret): kept in kubeedge/cloudcoresecret,
// signed by the CA, shared by cloudhub (10000) and the certificate service (10002). KubeEdge signs it
// once for 100 years and never looks again; we reissue it when it lacks a wanted SAN, is signed by
// another CA, or has less than 30 days left, and we keep the SANs already in it so two cloudcores
// with different advertise addresses converge on one cert instead of overwriting each other.
import { isIP } from 'node:net';
import { X509Certificate } from 'node:crypto';
import { type Logger } from '../../core/index.js';
import { issueCertificate, pemToDer, type KeyPairPem } from '../../core/pki/index.js';
import type { KubeObject } from '../../api/index.js';
import type { KubeClient } from '../kube/index.js';
import { keyDerToPkcs8Pem, pkcs8PemToSec1Der, type CaMaterial } from './ca-material.js';
import { CERTS_NAMESPACE, PROJECT_NAME, SecretKeys, SecretNames } from './names.js';
import { ensureNamespace, getSecret, saveSecret, secretBytes } from './secrets.js';

const DAY_MS = 24 * 3600 * 1000;
const SERVER_CERT_DAYS = 365;
const RENEW_BEFORE_MS = 30 * DAY_MS;

/** The SANs every serving cert carries besides the advertise addresses. */
export const DEFAULT_SANS: readonly string[] = ['127.0.0.1', 'localhost'];

export interface StoredServerCert {
  cert: X509Certificate;
  keyPem: string;
  sans: Set<string>;
}

/** "DNS:localhost, IP Address:127.0.0.1" → {"localhost", "127.0.0.1"}. */
function sansOf(cert: X509Certificate): Set<string> {
  const out = new Set<string>();
  for (const part of (cert.subjectAltName ?? '').split(',')) {
    const m = /^\s*(?:DNS|IP Address):(.+?)\s*$/.exec(part);
    if (m?.[1]) out.add(m[1].toLowerCase());
  }
  return out;
}

function decode(secret: KubeObject | undefined): StoredServerCert | undefined {
  const certDer = secretBytes(secret, SecretKeys.cloudcoreCert);
  const keyDer = secretBytes(secret, SecretKeys.cloudcoreKey);
  if (!certDer || !keyDer) return undefined;
  try {
    const cert = new X509Certificate(Buffer.from(certDer));
    return { cert, keyPem: keyDerToPkcs8Pem(keyDer), sans: sansOf(cert) };
  } catch {
    return undefined;
  }
}

/** Why a stored cert cannot serve, or undefined when it can. */
export function reissueReason(stored: StoredServerCert, ca: CaMaterial, wanted: readonly string[], nowMs: number): string | undefined {
  const caCert = new X509Certificate(Buffer.from(ca.certDer));
  if (!stored.cert.checkIssued(caCert) || !stored.cert.verify(caCert.publicKey)) return 'signed by another ca';
  const missing = wanted.filter((s) => !stored.sans.has(s.toLowerCase()));
  if (missing.length > 0) return `missing san ${missing.join(',')}`;
  if (Date.parse(stored.cert.validTo) - nowMs < RENEW_BEFORE_MS) return 'expires soon';
  return undefined;
}

async function issue(ca: CaMaterial, sans: readonly string[]): Promise<KeyPairPem> {
  const ips = sans.filter((s) => isIP(s) !== 0);
  const dns = sans.filter((s) => isIP(s) === 0);
  return issueCertificate(ca.pair, {
    commonName: PROJECT_NAME, organization: [PROJECT_NAME], ipAddresses: ips, dnsNames: dns, usage: 'server', days: SERVER_CERT_DAYS,
  });
}

/** The serving cert for `advertise` (+ DEFAULT_SANS), from the Secret or freshly issued and stored. */
export async function ensureServerCert(
  kube: KubeClient, ca: CaMaterial, advertise: readonly string[], nowMs: number, log: Logger,
): Promise<KeyPairPem> {
  const wanted = [...new Set([...advertise, ...DEFAULT_SANS].filter((s) => s !== ''))];
  const stored = decode(await getSecret(kube, SecretNames.cloudcore));
  const reason = stored ? reissueReason(stored, ca, wanted, nowMs) : 'none stored';
  if (stored && reason === undefined) return { certPem: stored.cert.toString(), keyPem: stored.keyPem };
  const keepSans = stored && reason !== 'signed by another ca' ? [...stored.sans] : [];
  const pair = await issue(ca, [...new Set([...wanted, ...keepSans])]);
  await ensureNamespace(kube);
  await saveSecret(kube, {
    name: SecretNames.cloudcore,
    data: { [SecretKeys.cloudcoreCert]: pemToDer(pair.certPem), [SecretKeys.cloudcoreKey]: pkcs8PemToSec1Der(pair.keyPem) },
  });
  log.info('server cert issued', { secret: `${CERTS_NAMESPACE}/${SecretNames.cloudcore}`, reason, sans: wanted });
  return pair;
}
