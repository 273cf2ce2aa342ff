import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { caHash, formatJoinToken, parseJoinToken, signJWT, TokenError, verifyJWT } from './index.js';

const key = new Uint8Array(Buffer.from('30770201010420' + 'ab'.repeat(32), 'hex'));
const otherKey = new Uint8Array(Buffer.from('not the CA key'));
const caDer = new Uint8Array(Buffer.from('3082 fake ca der'));
const NOW = Date.UTC(2025, 0, 1);
const isCode = (code: string) => (e: unknown) => e instanceof TokenError && e.code === code;

describe('join token', () => {
  test('JWT header is the one golang-jwt writes, claims round-trip', () => {
    const jwt = signJWT({ exp: NOW / 1000 + 60 }, key);
    // base64url of {"alg":"HS256","typ":"JWT"}, as in every golang-jwt HS256 token.
    assert.equal(jwt.split('.')[0], 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9');
    assert.deepEqual(verifyJWT(jwt, key, NOW), { exp: NOW / 1000 + 60 });
    const withJti = signJWT({ exp: NOW / 1000 + 60, jti: 'abc' }, key);
    assert.equal(verifyJWT(withJti, key, NOW).jti, 'abc');
  });

  test('verifies a third-party HS256 token (jwt.io example) byte for byte', () => {
    const jwt =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.' +
      'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
    const secret = new Uint8Array(Buffer.from('your-256-bit-secret'));
    // Signature is right, so the failure is the missing exp (not the signature).
    assert.throws(() => verifyJWT(jwt, secret, NOW), isCode('malformed'));
    assert.throws(() => verifyJWT(jwt, otherKey, NOW), isCode('bad_signature'));
  });

  test('wrong key, tampered claims and tampered signature are bad_signature', () => {
    const jwt = signJWT({ exp: NOW / 1000 + 60 }, key);
    assert.throws(() => verifyJWT(jwt, otherKey, NOW), (e) => isCode('bad_signature')(e) && /signature invalid/.test((e as Error).message));
    const [h, , s] = jwt.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ exp: NOW / 1000 + 99999 })).toString('base64url')}.${s}`;
    assert.throws(() => verifyJWT(forged, key, NOW), isCode('bad_signature'));
    const shortSig = `${jwt.slice(0, jwt.lastIndexOf('.'))}.AAAA`;
    assert.throws(() => verifyJWT(shortSig, key, NOW), isCode('bad_signature'));
  });

  test('expiry: valid until exp, expired at and after it', () => {
    const exp = NOW / 1000 + 10;
    const jwt = signJWT({ exp }, key);
    assert.ok(verifyJWT(jwt, key, exp * 1000 - 1));
    assert.throws(() => verifyJWT(jwt, key, exp * 1000), (e) => isCode('expired')(e) && (e as Error).message === 'token expired');
  });

  test('malformed JWTs: wrong part count, bad base64, non-JSON, alg none', () => {
    for (const bad of ['', 'a.b', 'a.b.c.d', 'e30.e30.***', '!!.e30.AAAA']) {
      assert.throws(() => verifyJWT(bad, key, NOW), isCode('malformed'), bad);
    }
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"exp":1}').toString('base64url')}.AAAA`;
    assert.throws(() => verifyJWT(none, key, NOW), isCode('malformed'));
    const notJson = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('nope').toString('base64url')}.AAAA`;
    assert.throws(() => verifyJWT(notJson, key, NOW), isCode('malformed'));
    assert.throws(() => signJWT({ exp: 1.5 }, key), isCode('malformed'));
  });

  test('join token = sha256 hex of the CA DER + "." + JWT, and parses back', () => {
    const jwt = signJWT({ exp: NOW / 1000 + 60 }, key);
    const token = formatJoinToken(caDer, jwt);
    const hash = createHash('sha256').update(caDer).digest('hex');
    assert.equal(caHash(caDer), hash);
    assert.equal(token, `${hash}.${jwt}`);
    assert.deepEqual(parseJoinToken(token), { caHash: hash, jwt });
    assert.deepEqual(parseJoinToken(` ${token}\n`), { caHash: hash, jwt });
  });

  test('malformed join tokens', () => {
    const jwt = signJWT({ exp: NOW / 1000 + 60 }, key);
    for (const bad of [jwt, `${'A'.repeat(64)}.${jwt}`, `abc.${jwt}`, `${'a'.repeat(64)}.${jwt}.x`, `${'a'.repeat(64)}.a.b.c=`]) {
      assert.throws(() => parseJoinToken(bad), isCode('malformed'), bad);
    }
  });
});
