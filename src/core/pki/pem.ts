import { PkiError } from './errors.js';
import { EC_KEY_ALGORITHM, subtle, type CryptoKey, type CryptoKeyPair } from './x509-setup.js';

export type PemLabel = 'CERTIFICATE' | 'CERTIFICATE REQUEST' | 'PRIVATE KEY';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;

/** DER bytes of the first PEM block in `pem`, whatever its label. */
export function pemToDer(pem: string): Uint8Array {
  const match = PEM_BLOCK.exec(pem);
  const body = match?.[2]?.replace(/\s+/g, '');
  if (body === undefined || body === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
    throw new PkiError('bad_pem', 'no PEM block found');
  }
  return new Uint8Array(Buffer.from(body, 'base64'));
}

/** PEM text with 64-character lines. */
export function derToPem(der: Uint8Array, label: PemLabel): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Imports a PKCS#8 "PRIVATE KEY" PEM as an ECDSA P-256 signing key. */
export async function importSigningKey(keyPem: string): Promise<CryptoKey> {
  try {
    return await subtle.importKey('pkcs8', pemToDer(keyPem), EC_KEY_ALGORITHM, false, ['sign']);
  } catch (err) {
    if (err instanceof PkiError) throw err;
    throw new PkiError('bad_key', 'private key is not a PKCS#8 ECDSA P-256 key', { cause: err });
  }
}

export async function generateKeyPair(): Promise<CryptoKeyPair> {
  return subtle.generateKey(EC_KEY_ALGORITHM, true, ['sign', 'verify']);
}

export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  const der = await subtle.exportKey('pkcs8', key);
  return derToPem(new Uint8Array(der), 'PRIVATE KEY');
}
