export {
  createCA,
  issueCertificate,
  createKeyAndCSR,
  signCSR,
  certInfo,
  verifyIssuedBy,
  certDerToPem,
} from './certificates.js';
export type { KeyPairPem, CertUsage, CertInfo } from './certificates.js';
export { pemToDer, derToPem } from './pem.js';
export type { PemLabel } from './pem.js';
export { PkiError } from './errors.js';
export type { PkiErrorCode } from './errors.js';
export { signJWT, verifyJWT, caHash, formatJoinToken, parseJoinToken, TokenError } from './token.js';
export type { JwtClaims, TokenErrorCode } from './token.js';
