// @peculiar/x509 resolves its ASN.1 serializers through tsyringe, which needs the Reflect metadata
// polyfill loaded first; ESM evaluates imports in order, so this import must stay above x509's.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** The library's name for a WebCrypto implementation (our tsconfig has no DOM lib, so derive it). */
type X509Crypto = Parameters<typeof x509.cryptoProvider.set>[0];

// The library's default provider is the global crypto; point it at Node's WebCrypto once.
// Every call in this module also passes `crypto` explicitly, so nothing depends on this setting.
x509.cryptoProvider.set(webcrypto as unknown as X509Crypto);

export const crypto = webcrypto as unknown as X509Crypto;
export const subtle = webcrypto.subtle;
export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;
export { x509 };

/** ECDSA P-256 with SHA-256: the only key and signature algorithm this project issues. */
export const EC_KEY_ALGORITHM: webcrypto.EcKeyGenParams & webcrypto.EcKeyImportParams = {
  name: 'ECDSA',
  namedCurve: 'P-256',
};
export const EC_SIGNING_ALGORITHM: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
