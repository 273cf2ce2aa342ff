// core: the protocol, the module bus, lifecycle, logging, config and PKI. Imports nothing of ours.
export * from './protocol/index.js';
export * from './bus/index.js';
export * from './lifecycle/index.js';
export * from './log/index.js';
export * from './config/index.js';
// pki/ (X.509 through @peculiar/x509, about 20 MiB) is reached through core/pki/index.js by the code that
// issues or requests certificates; join tokens need only node:crypto.
export { signJWT, verifyJWT, caHash, formatJoinToken, parseJoinToken, TokenError } from './pki/token.js';
export type { JwtClaims, TokenErrorCode } from './pki/token.js';
export { mqttNoDelay } from './net/no-delay.js';
export type { StreamClient } from './net/no-delay.js';
