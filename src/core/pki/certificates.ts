import { createHash, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { PkiError } from './errors.js';
import { derToPem, exportPrivateKeyPem, generateKeyPair, importSigningKey, pemToDer } from './pem.js';
import { crypto, EC_SIGNING_ALGORITHM, x509 } from './x509-setup.js';

export interface KeyPairPem {
  certPem: string;
  /** PKCS#8 "PRIVATE KEY" PEM. */
  keyPem: string;
}

export type CertUsage = 'server' | 'client' | 'both';

export interface CertInfo {
  commonName: string;
  organization: string[];
  notBefore: Date;
  notAfter: Date;
  /** Hex serial number. */
  serial: string;
  /** Lowercase hex SHA-256 of the certificate DER. */
  fingerprintSha256: string;
}

/** Certificates start a few minutes in the past so peers with a slightly slow clock accept them. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_CA_DAYS = 3650;
/** KubeEdge issues edge certificates for one year. */
const DEFAULT_CERT_DAYS = 365;

function validity(days: number): { notBefore: Date; notAfter: Date } {
  if (!(days > 0)) throw new PkiError('bad_input', `validity must be a positive number of days, got ${days}`);
  const now = Date.now();
  return { notBefore: new Date(now - CLOCK_SKEW_MS), notAfter: new Date(now + days * DAY_MS) };
}

/** 16 random bytes, top bit clear so the DER integer stays positive. */
function newSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function subjectName(commonName: string, organization: readonly string[] = []): x509.JsonName {
  if (commonName === '') throw new PkiError('bad_input', 'commonName must not be empty');
  const name: x509.JsonName = [{ CN: [commonName] }];
  if (organization.length > 0) name.push({ O: [...organization] });
  return name;
}

/** A self-signed ECDSA P-256 CA (basicConstraints CA:true, keyCertSign). */
export async function createCA(commonName: string, opts: { days?: number } = {}): Promise<KeyPairPem> {
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: newSerial(),
      name: subjectName(commonName),
      ...validity(opts.days ?? DEFAULT_CA_DAYS),
      keys,
      signingAlgorithm: EC_SIGNING_ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return { certPem: cert.toString('pem') + '\n', keyPem: await exportPrivateKeyPem(keys.privateKey) };
}

interface LeafParams {
  subject: x509.JsonName | x509.Name;
  publicKey: x509.PublicKeyType;
  usage: CertUsage;
  days: number;
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
}

async function signLeaf(ca: KeyPairPem, p: LeafParams): Promise<x509.X509Certificate> {
  const caCert = parseCert(ca.certPem);
  const signingKey = await importSigningKey(ca.keyPem);
  const eku: string[] = [];
  if (p.usage !== 'client') eku.push(x509.ExtendedKeyUsage.serverAuth);
  if (p.usage !== 'server') eku.push(x509.ExtendedKeyUsage.clientAuth);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension(eku, false),
    await x509.SubjectKeyIdentifierExtension.create(p.publicKey, false, crypto),
    await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey, false, crypto),
  ];
  const sans = subjectAltNames(p.dnsNames ?? [], p.ipAddresses ?? []);
  if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans, false));
  return x509.X509CertificateGenerator.create(
    {
      serialNumber: newSerial(),
      subject: p.subject,
      issuer: caCert.subjectName,
      ...validity(p.days),
      publicKey: p.publicKey,
      signingKey,
      signingAlgorithm: EC_SIGNING_ALGORITHM,
      extensions,
    },
    crypto,
  );
}

function subjectAltNames(dnsNames: readonly string[], ips: readonly string[]): x509.JsonGeneralNames {
  for (const ip of ips) {
    if (isIP(ip) === 0) throw new PkiError('bad_input', `"${ip}" is not an IP address`);
  }
  return [
    ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...ips.map((value) => ({ type: 'ip' as const, value })),
  ];
}

/** A new key and a certificate for it, signed by `ca`. */
export async function issueCertificate(
  ca: KeyPairPem,
  opts: {
    commonName: string;
    organization?: string[];
    dnsNames?: string[];
    ipAddresses?: string[];
    usage: CertUsage;
    days?: number;
  },
): Promise<KeyPairPem> {
  const keys = await generateKeyPair();
  const cert = await signLeaf(ca, {
    subject: subjectName(opts.commonName, opts.organization),
    publicKey: keys.publicKey,
    usage: opts.usage,
    days: opts.days ?? DEFAULT_CERT_DAYS,
    dnsNames: opts.dnsNames,
    ipAddresses: opts.ipAddresses,
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await exportPrivateKeyPem(keys.privateKey) };
}

/** What the edge sends to /edge.crt: a fresh P-256 key and a PKCS#10 CSR (DER) for it. */
export async function createKeyAndCSR(opts: {
  commonName: string;
  organization?: string[];
}): Promise<{ keyPem: string; csrDer: Uint8Array }> {
  const keys = await generateKeyPair();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    { name: subjectName(opts.commonName, opts.organization), keys, signingAlgorithm: EC_SIGNING_ALGORITHM },
    crypto,
  );
  return { keyPem: await exportPrivateKeyPem(keys.privateKey), csrDer: new Uint8Array(csr.rawData) };
}

/**
 * Signs a CSR (DER) with `ca` and returns the certificate DER. The CSR's signature must verify. When
 * `commonName` / `organization` are given, the CSR's subject must carry exactly those values, so a
 * node cannot ask for another identity.
 */
export async function signCSR(
  ca: KeyPairPem,
  csrDer: Uint8Array,
  opts: { usage: CertUsage; days?: number; commonName?: string; organization?: string[] },
): Promise<Uint8Array> {
  const csr = parseCSR(csrDer);
  if (!(await csr.verify(crypto).catch(() => false))) {
    throw new PkiError('bad_csr', 'CSR signature does not verify');
  }
  const cn = csr.subjectName.getField('CN');
  if (opts.commonName !== undefined && (cn.length !== 1 || cn[0] !== opts.commonName)) {
    throw new PkiError('csr_subject_mismatch', `CSR common name ${JSON.stringify(cn)} is not "${opts.commonName}"`);
  }
  const org = csr.subjectName.getField('O');
  if (opts.organization !== undefined && !sameSet(org, opts.organization)) {
    throw new PkiError('csr_subject_mismatch', `CSR organization ${JSON.stringify(org)} is not ${JSON.stringify(opts.organization)}`);
  }
  const cert = await signLeaf(ca, {
    subject: csr.subjectName,
    publicKey: csr.publicKey,
    usage: opts.usage,
    days: opts.days ?? DEFAULT_CERT_DAYS,
  });
  return new Uint8Array(cert.rawData);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const [sa, sb] = [[...a].sort(), [...b].sort()];
  return sa.length === sb.length && sa.every((v, i) => v === sb[i]);
}

function parseCSR(der: Uint8Array): x509.Pkcs10CertificateRequest {
  try {
    return new x509.Pkcs10CertificateRequest(der);
  } catch (err) {
    throw new PkiError('bad_csr', 'not a DER PKCS#10 certificate request', { cause: err });
  }
}

function parseCert(pemOrDer: string | Uint8Array): x509.X509Certificate {
  const der = typeof pemOrDer === 'string' ? pemToDer(pemOrDer) : pemOrDer;
  try {
    return new x509.X509Certificate(der);
  } catch (err) {
    throw new PkiError('bad_certificate', 'not an X.509 certificate', { cause: err });
  }
}

export function certInfo(certPemOrDer: string | Uint8Array): CertInfo {
  const cert = parseCert(certPemOrDer);
  return {
    commonName: cert.subjectName.getField('CN')[0] ?? '',
    organization: cert.subjectName.getField('O'),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    serial: cert.serialNumber,
    fingerprintSha256: createHash('sha256').update(new Uint8Array(cert.rawData)).digest('hex'),
  };
}

/** True when `cert` is signed by `ca` and valid at `at` (default now). */
export async function verifyIssuedBy(
  cert: string | Uint8Array,
  ca: string | Uint8Array,
  at: Date = new Date(),
): Promise<boolean> {
  const c = parseCert(cert);
  const issuer = parseCert(ca);
  if (at < c.notBefore || at > c.notAfter) return false;
  return c.verify({ publicKey: issuer.publicKey, date: at }, crypto).catch(() => false);
}

/** PEM of a DER certificate (the certs server answers DER; TLS options take PEM). */
export function certDerToPem(der: Uint8Array): string {
  return derToPem(der, 'CERTIFICATE');
}
