// The CA as cloudcore holds it: the DER bytes exactly as stored in kubeedge/casecret (the key bytes
// are also the JWT HMAC key, so they must never be re-encoded) plus PEM forms for core/pki signing.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { certDerToPem, createCA, pemToDer, type KeyPairPem } from '../../core/pki/index.js';
import { PROJECT_NAME } from './names.js';

export interface CaMaterial {
  certDer: Uint8Array;
  /** As stored in `cakeydata`: SEC1 when we or KubeEdge created it, PKCS#8 also accepted. */
  keyDer: Uint8Array;
  /** certPem + PKCS#8 keyPem, the form core/pki signs with. */
  pair: KeyPairPem;
}

/** KubeEdge's CA lives 100 years (x509_ca.go: 364 * 100 days). */
const CA_DAYS = 364 * 100;

export class CaKeyError extends Error {
  override readonly name = 'CaKeyError';
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
  }
}

/** Parses a private key DER that is SEC1 ("EC PRIVATE KEY", as Go's MarshalECPrivateKey) or PKCS#8. */
export function parsePrivateKeyDer(der: Uint8Array): KeyObject {
  const buf = Buffer.from(der);
  for (const type of ['sec1', 'pkcs8'] as const) {
    try {
      return createPrivateKey({ key: buf, format: 'der', type });
    } catch {
      // try the next encoding
    }
  }
  throw new CaKeyError('private key DER is neither SEC1 nor PKCS#8');
}

export function keyDerToPkcs8Pem(der: Uint8Array): string {
  return parsePrivateKeyDer(der).export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** SEC1 DER of a PKCS#8 PEM key: the encoding KubeEdge stores in Secrets. */
export function pkcs8PemToSec1Der(keyPem: string): Uint8Array {
  return new Uint8Array(createPrivateKey(keyPem).export({ format: 'der', type: 'sec1' }));
}

export function caFromDer(certDer: Uint8Array, keyDer: Uint8Array): CaMaterial {
  return { certDer, keyDer, pair: { certPem: certDerToPem(certDer), keyPem: keyDerToPkcs8Pem(keyDer) } };
}

/** A new self-signed ECDSA P-256 CA named like KubeEdge's, key kept as SEC1 DER. */
export async function generateCA(): Promise<CaMaterial> {
  const pem = await createCA(PROJECT_NAME, { days: CA_DAYS });
  return { certDer: pemToDer(pem.certPem), keyDer: pkcs8PemToSec1Der(pem.keyPem), pair: pem };
}
