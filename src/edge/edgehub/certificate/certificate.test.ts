import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSilentLogger, formatJoinToken, signJWT } from '../../../core/index.js';
import { createCA, issueCertificate, pemToDer, signCSR, type KeyPairPem } from '../../../core/pki/index.js';
import { bootstrapCertificates, CertificateError, CertificateRotator } from './index.js';

// A stand-in for cloudcore's certificate service with KubeEdge's behaviour: /ca.crt, and /edge.crt
// authorized by a client cert of its CA or by the one JWT it knows.
interface FakeCertServer { server: Server; port: number; ca: KeyPairPem; jwt: string; seen: { auth?: string; peerCN?: string; node?: string }[]; reject?: string }

async function startFakeCertServer(): Promise<FakeCertServer> {
  const ca = await createCA('KubeEdge');
  const serving = await issueCertificate(ca, { commonName: 'KubeEdge', ipAddresses: ['127.0.0.1'], usage: 'server' });
  const caDer = pemToDer(ca.certPem);
  const keyDer = pemToDer(ca.keyPem);
  const fake: FakeCertServer = { server: undefined as unknown as Server, port: 0, ca, jwt: signJWT({ exp: Math.floor(Date.now() / 1000) + 3600 }, keyDer), seen: [] };
  fake.server = createServer({ cert: serving.certPem, key: serving.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/ca.crt') { res.end(Buffer.from(caDer)); return; }
      const sock = req.socket as TLSSocket;
      const peer = sock.getPeerCertificate();
      const node = String(req.headers['nodename']);
      fake.seen.push({ auth: req.headers.authorization, peerCN: peer.subject?.CN as string | undefined, node });
      const byCert = peer.raw !== undefined && sock.authorized;
      const byToken = req.headers.authorization === `Bearer ${fake.jwt}`;
      if (fake.reject || (!byCert && !byToken)) { res.writeHead(401).end(fake.reject ?? 'token signature invalid'); return; }
      signCSR(ca, new Uint8Array(Buffer.concat(chunks)), { usage: 'client', commonName: `system:node:${node}`, organization: ['system:nodes'] })
        .then((der) => res.end(Buffer.from(der)), (err: Error) => res.writeHead(400).end(`bad CSR: ${err.message}`));
    });
  });
  await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', r));
  fake.port = (fake.server.address() as AddressInfo).port;
  return fake;
}

const log = createSilentLogger();
const isCode = (code: string, re?: RegExp) => (e: unknown) =>
  e instanceof CertificateError && e.code === code && (re === undefined || re.test(e.message));

describe('edge certificate bootstrap and rotation', () => {
  let fake: FakeCertServer;
  let dir: string;
  let n = 0;
  const paths = () => {
    const d = join(dir, `node-${++n}`);
    return { caFile: join(d, 'ca/rootCA.crt'), certFile: join(d, 'certs/server.crt'), keyFile: join(d, 'certs/server.key') };
  };
  const token = () => formatJoinToken(pemToDer(fake.ca.certPem), fake.jwt);

  before(async () => {
    fake = await startFakeCertServer();
    dir = await mkdtemp(join(tmpdir(), 'kets-edgecert-'));
  });
  after(async () => {
    fake.server.closeAllConnections();
    await new Promise((r) => fake.server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  test('token bootstrap writes CA, cert and a 0600 SEC1 key; the next start reuses them', async () => {
    const p = paths();
    const httpServer = `https://127.0.0.1:${fake.port}`;
    const r = await bootstrapCertificates({ httpServer, token: token(), nodeName: 'edge-1', log, ...p });
    assert.equal(r.status, 'issued');
    const cert = new X509Certificate(await readFile(p.certFile));
    assert.match(cert.subject, /CN=system:node:edge-1/);
    assert.equal(await readFile(p.caFile, 'utf8'), fake.ca.certPem.trim() + '\n');
    assert.match(await readFile(p.keyFile, 'utf8'), /^-----BEGIN EC PRIVATE KEY-----/);
    assert.equal((await stat(p.keyFile)).mode & 0o777, 0o600);
    const last = fake.seen.at(-1);
    assert.equal(last?.auth, `Bearer ${fake.jwt}`);
    assert.equal(last?.node, 'edge-1');
    const before = fake.seen.length;
    const again = await bootstrapCertificates({ httpServer: 'https://127.0.0.1:1', token: token(), nodeName: 'edge-1', log, ...p });
    assert.equal(again.status, 'existing');
    assert.equal(fake.seen.length, before);
  });

  test('a CA that does not hash to the token prefix is refused before any CSR is sent', async () => {
    const p = paths();
    const other = await createCA('mallory');
    const wrong = formatJoinToken(pemToDer(other.certPem), fake.jwt);
    const before = fake.seen.length;
    await assert.rejects(
      bootstrapCertificates({ httpServer: `https://127.0.0.1:${fake.port}`, token: wrong, nodeName: 'edge-2', log, ...p }),
      isCode('ca_hash_mismatch', /token expects [0-9a-f]{64}/),
    );
    assert.equal(fake.seen.length, before);
    await assert.rejects(stat(p.caFile));
  });

  test('a 401 becomes token_rejected with the server text', async () => {
    fake.reject = 'token expired';
    try {
      await assert.rejects(
        bootstrapCertificates({ httpServer: `https://127.0.0.1:${fake.port}`, token: token(), nodeName: 'edge-3', log, ...paths() }),
        isCode('token_rejected', /rejected the token: token expired$/),
      );
    } finally {
      fake.reject = undefined;
    }
  });

  test('an unreachable cloud and a malformed token have their own codes', async () => {
    const closed = createTcpServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await assert.rejects(
      bootstrapCertificates({ httpServer: `https://127.0.0.1:${port}`, token: token(), nodeName: 'edge-4', log, ...paths() }),
      isCode('unreachable', new RegExp(`127\\.0\\.0\\.1:${port}: ECONNREFUSED`)),
    );
    await assert.rejects(
      bootstrapCertificates({ httpServer: `https://127.0.0.1:${fake.port}`, token: 'abc.def', nodeName: 'edge-4', log, ...paths() }),
      isCode('bad_token'),
    );
    await assert.rejects(
      bootstrapCertificates({ httpServer: `https://127.0.0.1:${fake.port}`, token: '', nodeName: 'edge-4', log, ...paths() }),
      isCode('bad_token', /no join token/),
    );
  });

  test('a token for another CA replaces certificates from the old one', async () => {
    const p = paths();
    const httpServer = `https://127.0.0.1:${fake.port}`;
    await bootstrapCertificates({ httpServer, token: token(), nodeName: 'edge-5', log, ...p });
    const oldCa = await createCA('old-cloud');
    await writeFile(p.caFile, oldCa.certPem);
    const old = await issueCertificate(oldCa, { commonName: 'system:node:edge-5', organization: ['system:nodes'], usage: 'client' });
    await writeFile(p.certFile, old.certPem);
    await writeFile(p.keyFile, old.keyPem);
    const r = await bootstrapCertificates({ httpServer, token: token(), nodeName: 'edge-5', log, ...p });
    assert.equal(r.status, 'issued');
    assert.equal(await readFile(p.caFile, 'utf8'), fake.ca.certPem.trim() + '\n');
  });

  test('the rotator renews at its deadline over mutual TLS, replaces the files and calls onRotated', async () => {
    const p = paths();
    const httpServer = `https://127.0.0.1:${fake.port}`;
    await bootstrapCertificates({ httpServer, token: token(), nodeName: 'edge-r', log, ...p });
    const firstSerial = new X509Certificate(await readFile(p.certFile)).serialNumber;
    let clock = Date.now();
    let rotated = 0;
    const rotator = new CertificateRotator({ httpServer, nodeName: 'edge-r', log, ...p, now: () => clock, random: () => 0.5, onRotated: () => { rotated++; } });
    const deadline = await rotator.deadline();
    assert.ok(deadline);
    const c = new X509Certificate(await readFile(p.certFile));
    const life = Date.parse(c.validTo) - Date.parse(c.validFrom);
    assert.ok(Math.abs(deadline.getTime() - (Date.parse(c.validFrom) + 0.8 * life)) < 1000);
    assert.equal(await rotator.rotateIfDue(), false);
    clock = deadline.getTime() + 1;
    assert.equal(await rotator.rotateIfDue(), true);
    assert.equal(rotated, 1);
    const last = fake.seen.at(-1);
    assert.equal(last?.auth, undefined, 'no token on the rotation path');
    assert.equal(last?.peerCN, 'system:node:edge-r');
    assert.notEqual(new X509Certificate(await readFile(p.certFile)).serialNumber, firstSerial);
  });
});
