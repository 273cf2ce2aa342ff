import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlagError } from '../../core/index.js';
import { createCA, issueCertificate } from '../../core/pki/index.js';
import { parseAdmissionArgs, readTlsFiles, TlsFilesError } from './options.js';

const tlsArgs = ['--tls-cert-file', '/c.crt', '--tls-private-key-file', '/c.key'];

describe('admission flags', () => {
  test('KubeEdge defaults: port 443; binds 0.0.0.0', () => {
    assert.deepEqual(parseAdmissionArgs(tlsArgs), {
      kind: 'run', options: { bindAddress: '0.0.0.0', port: 443, logLevel: 'info', certFile: '/c.crt', keyFile: '/c.key' },
    });
  });

  test('every flag is read', () => {
    const r = parseAdmissionArgs([...tlsArgs, '--kubeconfig=/k', '--master', 'https://h:6443', '--bind-address', '127.0.0.1', '--port', '0', '--log-level', 'debug']);
    assert.deepEqual(r, { kind: 'run', options: {
      bindAddress: '127.0.0.1', port: 0, logLevel: 'debug', certFile: '/c.crt', keyFile: '/c.key', kubeconfig: '/k', master: 'https://h:6443',
    } });
    assert.deepEqual(parseAdmissionArgs(['--help']), { kind: 'help' });
  });

  test('a missing certificate flag is a TlsFilesError; bad flags are FlagErrors', () => {
    assert.throws(() => parseAdmissionArgs(['--tls-cert-file', '/c.crt']), (e: unknown) => e instanceof TlsFilesError && /--tls-private-key-file is required/.test(e.message));
    for (const argv of [['--port', '70000'], ['--bind-address', 'localhost'], ['--log-level', 'loud'], ['--ca-cert-file', 'x'], ['serve']]) {
      assert.throws(() => parseAdmissionArgs([...tlsArgs, ...argv]), FlagError, argv.join(' '));
    }
  });
});

describe('readTlsFiles', () => {
  let dir = '';
  let cert = '';
  let key = '';
  let otherKey = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kets-admission-tls-'));
    const ca = await createCA('t');
    const a = await issueCertificate(ca, { commonName: 'a', usage: 'server' });
    const b = await issueCertificate(ca, { commonName: 'b', usage: 'server' });
    cert = join(dir, 'tls.crt'); key = join(dir, 'tls.key'); otherKey = join(dir, 'other.key');
    writeFileSync(cert, a.certPem); writeFileSync(key, a.keyPem); writeFileSync(otherKey, b.keyPem);
    writeFileSync(join(dir, 'empty'), '');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('reads a matching pair', () => {
    const pair = readTlsFiles({ certFile: cert, keyFile: key });
    assert.match(pair.cert, /BEGIN CERTIFICATE/);
    assert.match(pair.key, /BEGIN PRIVATE KEY/);
  });

  test('missing, empty or mismatched files are TlsFilesErrors naming the flag and path', () => {
    const cases: Array<[string, string, RegExp]> = [
      [join(dir, 'nope.crt'), key, /cannot read --tls-cert-file .*nope\.crt: ENOENT/],
      [cert, join(dir, 'nope.key'), /cannot read --tls-private-key-file .*nope\.key: ENOENT/],
      [join(dir, 'empty'), key, /--tls-cert-file .*empty holds no PEM certificate/],
      [cert, cert, /--tls-private-key-file .*tls\.crt holds no PEM private key/],
      [cert, otherKey, /are not a usable pair/],
    ];
    for (const [certFile, keyFile, message] of cases) {
      assert.throws(() => readTlsFiles({ certFile, keyFile }), (e: unknown) => e instanceof TlsFilesError && message.test(e.message), message.source);
    }
  });
});
