// The KubeEdge join token (pkg/security/token in KubeEdge): `hex(sha256(CA cert DER)) + "." + JWT`.
// The JWT is HS256 and its HMAC key is the CA private key DER exactly as stored in the `casecret`
// Secret (`cakeydata`), so anyone holding the CA key can mint tokens and nobody else can. The hash
// prefix lets the edge check the CA it downloads over an unverified TLS connection.
// Pure: no I/O, time comes in as an argument.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type TokenErrorCode = 'malformed' | 'bad_signature' | 'expired';

/** A token that cannot be used; the message says why without repeating the token. */
export class TokenError extends Error {
  override readonly name = 'TokenError';
  constructor(
    readonly code: TokenErrorCode,
    message: string,
    opts: { cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
  }
}

/** Registered claims we use; `exp` is seconds since the epoch as in RFC 7519. */
export interface JwtClaims {
  exp: number;
  /** Set on one-time tokens (beyond KubeEdge): the name suffix of their record Secret. */
  jti?: string;
  iat?: number;
  [claim: string]: unknown;
}

// golang-jwt marshals this header with sorted keys; the same bytes keep tokens byte-comparable.
const HEADER = { alg: 'HS256', typ: 'JWT' } as const;
const B64URL = /^[A-Za-z0-9_-]+$/;
const HEX64 = /^[0-9a-f]{64}$/;

const b64url = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64url');

function hmac(signingInput: string, keyDer: Uint8Array): Buffer {
  return createHmac('sha256', keyDer).update(signingInput).digest();
}

/** An HS256 JWT over `claims`, keyed with the CA private key DER. */
export function signJWT(claims: JwtClaims, keyDer: Uint8Array): string {
  if (!Number.isInteger(claims.exp)) throw new TokenError('malformed', 'claim exp must be whole seconds');
  const input = `${b64url(JSON.stringify(HEADER))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(hmac(input, keyDer))}`;
}

function decodeJson(part: string, what: string): Record<string, unknown> {
  if (!B64URL.test(part)) throw new TokenError('malformed', `token ${what} is not base64url`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch (err) {
    throw new TokenError('malformed', `token ${what} is not JSON`, { cause: err });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TokenError('malformed', `token ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * Checks an HS256 JWT against `keyDer` and its `exp` against `nowMs`, and returns its claims.
 * Only HS256 is accepted (KubeEdge refuses non-HMAC methods; we also refuse HS384/512 and "none").
 * The signature is compared in constant time. A token without `exp` is malformed: it would never expire.
 */
export function verifyJWT(jwt: string, keyDer: Uint8Array, nowMs: number): JwtClaims {
  const parts = jwt.split('.');
  if (parts.length !== 3) throw new TokenError('malformed', 'token is not a JWT (want three dot-separated parts)');
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJson(h, 'header');
  if (header['alg'] !== 'HS256') throw new TokenError('malformed', `token algorithm ${JSON.stringify(header['alg'])} is not HS256`);
  const claims = decodeJson(p, 'claims');
  if (!B64URL.test(s)) throw new TokenError('malformed', 'token signature is not base64url');
  const given = Buffer.from(s, 'base64url');
  const want = hmac(`${h}.${p}`, keyDer);
  if (given.length !== want.length || !timingSafeEqual(given, want)) {
    throw new TokenError('bad_signature', 'token signature invalid');
  }
  const exp = claims['exp'];
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new TokenError('malformed', 'token has no exp claim');
  // golang-jwt: expired when now >= exp (no leeway).
  if (nowMs >= exp * 1000) throw new TokenError('expired', 'token expired');
  return claims as JwtClaims;
}

/** Lowercase hex SHA-256 of the CA certificate DER: the token's first part. */
export function caHash(caDer: Uint8Array): string {
  return createHash('sha256').update(caDer).digest('hex');
}

/** The join token users pass to `keadm join --token`. */
export function formatJoinToken(caDer: Uint8Array, jwt: string): string {
  return `${caHash(caDer)}.${jwt}`;
}

/**
 * Splits a join token into the CA hash and the JWT. Like KubeEdge's VerifyCAAndGetRealToken it wants
 * exactly four dot-separated parts; the hash must be 64 lowercase hex digits.
 */
export function parseJoinToken(token: string): { caHash: string; jwt: string } {
  const parts = token.trim().split('.');
  if (parts.length !== 4) {
    throw new TokenError('malformed', 'token must look like <64 hex digits>.<jwt header>.<jwt claims>.<jwt signature>');
  }
  const [hash, ...jwtParts] = parts as [string, string, string, string];
  if (!HEX64.test(hash)) throw new TokenError('malformed', 'token CA hash must be 64 lowercase hex digits');
  if (!jwtParts.every((x) => B64URL.test(x))) throw new TokenError('malformed', 'token JWT parts must be base64url');
  return { caHash: hash, jwt: jwtParts.join('.') };
}
