import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { X509Certificate } from 'node:crypto';
import { caHash, createTestLogger, parseJoinToken } from '../../core/index.js';
import { certDerToPem, createCA, createKeyAndCSR, issueCertificate, pemToDer, type KeyPairPem } from '../../core/pki/index.js';
import { Resources } from '../kube/index.js';
import { FakeKubeClient } from '../../testing/fake-kube-client.js';
import { CertService, readJoinToken, SecretKeys, SecretNames, CERTS_NAMESPACE, ONE_TIME_LABEL } from './index.js';

interface Answer { status: number; body: Buffer }

function call(port: number, path: string, o: {
  body?: Uint8Array; headers?: Record<string, string>; caPem?: string; client?: KeyPairPem; method?: string;
} = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(o.body ?? new Uint8Array());
    const req = request({
      host: '127.0.0.1', port, path, method: o.method ?? 'GET', agent: false,
      headers: { ...o.headers, 'Content-Length': String(body.length) },
      rejectUnauthorized: o.caPem !== undefined, ...(o.caPem ? { ca: o.caPem } : {}),
      ...(o.client ? { cert: o.client.certPem, key: o.client.keyPem } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const jwtOf = (token: string): string => parseJoinToken(token).jwt;
const HOUR = 3600_000;

async function csrFor(node: string, org = 'system:nodes'): Promise<{ keyPem: string; csrDer: Uint8Array }> {
  return createKeyAndCSR({ commonName: `system:node:${node}`, organization: [org] });
}

describe('CertService', () => {
  const kube = new FakeKubeClient();
  const log = createTestLogger();
  let clock = Date.now();
  const svc = new CertService({
    kube, log, now: () => clock, advertiseAddresses: ['10.1.2.3', 'cloud.example'], listen: { address: '127.0.0.1', port: 0 },
  });
  let port = 0;
  let caPem = '';

  before(async () => {
    await svc.start();
    port = svc.address()?.port ?? 0;
    caPem = (await svc.serverCert()).caPem;
  });
  after(() => svc.stop());

  test('creates namespace, CA, token and serving cert Secrets in kubeedge', async () => {
    assert.ok(await kube.get(Resources.namespaces, null, CERTS_NAMESPACE));
    const ca = await kube.get(Resources.secrets, CERTS_NAMESPACE, SecretNames.ca);
    const data = ca?.['data'] as Record<string, string>;
    const caDer = Buffer.from(data[SecretKeys.caCert] ?? '', 'base64');
    assert.equal(new X509Certificate(caDer).subject, 'CN=KubeEdge');
    // KubeEdge stores the CA key as SEC1 DER (x509.MarshalECPrivateKey): starts SEQUENCE, INTEGER 1.
    assert.equal(Buffer.from(data[SecretKeys.caKey] ?? '', 'base64').subarray(2, 5).toString('hex'), '020101');
    const token = svc.currentToken() ?? '';
    assert.equal(await readJoinToken(kube), token);
    assert.equal(parseJoinToken(token).caHash, caHash(new Uint8Array(caDer)));
    const serving = new X509Certificate((await svc.serverCert()).certPem);
    for (const san of ['IP Address:10.1.2.3', 'DNS:cloud.example', 'IP Address:127.0.0.1', 'DNS:localhost']) {
      assert.ok(serving.subjectAltName?.includes(san), `${san} in ${serving.subjectAltName}`);
    }
  });

  test('GET /ca.crt answers the CA DER', async () => {
    const a = await call(port, '/ca.crt');
    assert.equal(a.status, 200);
    assert.deepEqual(new Uint8Array(a.body), pemToDer(caPem));
  });

  test('a CSR with the token gets a one-year client cert for the node', async () => {
    const { csrDer } = await csrFor('edge-1');
    const a = await call(port, '/edge.crt', {
      body: csrDer, caPem, headers: { NodeName: 'edge-1', Authorization: `Bearer ${jwtOf(svc.currentToken() ?? '')}` },
    });
    assert.equal(a.status, 200, a.body.toString());
    const cert = new X509Certificate(a.body);
    assert.match(cert.subject, /CN=system:node:edge-1/);
    assert.match(cert.subject, /O=system:nodes/);
    assert.ok(cert.checkIssued(new X509Certificate(caPem)));
    const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / (24 * HOUR);
    assert.ok(days > 364 && days < 367, String(days));
    assert.equal(svc.metrics().issuedWithToken, 1);
  });

  test('expired token, forged token and missing credentials are refused with 401 and counted', async () => {
    const old = jwtOf(svc.currentToken() ?? '');
    const { csrDer } = await csrFor('edge-2');
    const headers = (auth?: string): Record<string, string> => ({ NodeName: 'edge-2', ...(auth ? { Authorization: auth } : {}) });
    clock += 25 * HOUR;
    try {
      const expired = await call(port, '/edge.crt', { body: csrDer, headers: headers(`Bearer ${old}`) });
      assert.equal(expired.status, 401);
      assert.equal(expired.body.toString(), 'token expired');
    } finally {
      clock -= 25 * HOUR;
    }
    const forged = old.slice(0, old.lastIndexOf('.') + 1) + Buffer.alloc(32).toString('base64url');
    const bad = await call(port, '/edge.crt', { body: csrDer, headers: headers(`Bearer ${forged}`) });
    assert.equal(bad.status, 401);
    assert.equal(bad.body.toString(), 'token signature invalid');
    const none = await call(port, '/edge.crt', { body: csrDer, headers: headers() });
    assert.equal(none.status, 401);
    const m = svc.metrics().refused;
    assert.equal(m.token_expired, 1);
    assert.equal(m.token_bad_signature, 1);
    assert.equal(m.no_credentials, 1);
    const text = JSON.stringify(log.lines);
    assert.ok(!text.includes(old.split('.')[2] ?? 'x'), 'the token signature never reaches the log');
  });

  test('rotated tokens: the old one stays valid until its own exp', async () => {
    const first = svc.currentToken() ?? '';
    clock += 12 * HOUR;
    try {
      const second = await svc.rotateToken();
      assert.notEqual(second, first);
      assert.equal(await readJoinToken(kube), second);
      const { csrDer } = await csrFor('edge-3');
      const a = await call(port, '/edge.crt', { body: csrDer, headers: { NodeName: 'edge-3', Authorization: `Bearer ${jwtOf(first)}` } });
      assert.equal(a.status, 200, a.body.toString());
    } finally {
      clock -= 12 * HOUR;
    }
  });

  test('a CSR for another node, a bad CSR and an oversized body are refused', async () => {
    const auth = `Bearer ${jwtOf(svc.currentToken() ?? '')}`;
    const other = await csrFor('edge-9');
    const wrong = await call(port, '/edge.crt', { body: other.csrDer, headers: { NodeName: 'edge-4', Authorization: auth } });
    assert.equal(wrong.status, 403);
    const org = await csrFor('edge-4', 'system:masters');
    assert.equal((await call(port, '/edge.crt', { body: org.csrDer, headers: { NodeName: 'edge-4', Authorization: auth } })).status, 403);
    const garbage = await call(port, '/edge.crt', { body: Buffer.from('not a csr'), headers: { NodeName: 'edge-4', Authorization: auth } });
    assert.equal(garbage.status, 400);
    assert.match(garbage.body.toString(), /bad CSR/);
    const big = await call(port, '/edge.crt', { body: Buffer.alloc(65 * 1024), headers: { NodeName: 'edge-4', Authorization: auth } });
    assert.equal(big.status, 413);
    const noName = await call(port, '/edge.crt', { body: other.csrDer, headers: { Authorization: auth } });
    assert.equal(noName.status, 400);
    const m = svc.metrics().refused;
    assert.equal(m.csr_subject_mismatch, 2);
    assert.equal(m.bad_csr, 1);
    assert.equal(m.body_too_large, 1);
    assert.equal(m.missing_node_name, 1);
  });

  test('a one-time token works once, then is refused; deleting its Secret revokes it', async () => {
    const once = await svc.issueOneTimeToken(HOUR);
    const secret = await kube.get(Resources.secrets, CERTS_NAMESPACE, once.secretName);
    assert.equal(secret?.metadata.labels?.[ONE_TIME_LABEL], 'one-time');
    const send = async (node: string, jwt: string): Promise<Answer> =>
      call(port, '/edge.crt', { body: (await csrFor(node)).csrDer, headers: { NodeName: node, Authorization: `Bearer ${jwt}` } });
    const first = await send('edge-5', jwtOf(once.token));
    assert.equal(first.status, 200, first.body.toString());
    const again = await send('edge-6', jwtOf(once.token));
    assert.equal(again.status, 401);
    assert.equal(again.body.toString(), 'one-time token already used or revoked');
    assert.equal(await kube.get(Resources.secrets, CERTS_NAMESPACE, once.secretName), undefined);

    const revoked = await svc.issueOneTimeToken(HOUR);
    await kube.delete(Resources.secrets, CERTS_NAMESPACE, revoked.secretName);
    assert.equal((await send('edge-7', jwtOf(revoked.token))).status, 401);
    assert.equal(svc.metrics().refused.one_time_spent, 2);
    assert.equal(svc.metrics().issuedWithOneTimeToken, 1);

    const shortLived = await svc.issueOneTimeToken(60_000);
    clock += 61_000;
    try {
      const late = await send('edge-8', jwtOf(shortLived.token));
      assert.equal(late.body.toString(), 'token expired');
    } finally {
      clock -= 61_000;
    }
  });

  test('rotation: the current client cert authorizes a new cert for the same node only', async () => {
    const { csrDer, keyPem } = await csrFor('edge-r');
    const first = await call(port, '/edge.crt', {
      body: csrDer, caPem, headers: { NodeName: 'edge-r', Authorization: `Bearer ${jwtOf(svc.currentToken() ?? '')}` },
    });
    assert.equal(first.status, 200);
    const client = { certPem: certDerToPem(new Uint8Array(first.body)), keyPem };
    const next = await csrFor('edge-r');
    const renewed = await call(port, '/edge.crt', { body: next.csrDer, caPem, client, headers: { NodeName: 'edge-r' } });
    assert.equal(renewed.status, 200, renewed.body.toString());
    assert.equal(svc.metrics().issuedForRotation, 1);
    const other = await csrFor('edge-x');
    const stolen = await call(port, '/edge.crt', { body: other.csrDer, caPem, client, headers: { NodeName: 'edge-x' } });
    assert.equal(stolen.status, 401);
    assert.equal(svc.metrics().refused.client_cert_node_mismatch, 1);
  });

  test('a client cert from another CA is refused even with a valid token', async () => {
    const foreignCa = await createCA('someone-else');
    const foreign = await issueCertificate(foreignCa, { commonName: 'system:node:edge-f', organization: ['system:nodes'], usage: 'client' });
    const { csrDer } = await csrFor('edge-f');
    const a = await call(port, '/edge.crt', {
      body: csrDer, client: foreign, headers: { NodeName: 'edge-f', Authorization: `Bearer ${jwtOf(svc.currentToken() ?? '')}` },
    });
    assert.equal(a.status, 401);
    assert.match(a.body.toString(), /client certificate rejected/);
    assert.equal(svc.metrics().refused.client_cert_invalid, 1);
  });

  test('a second cloudcore on the same API shares the CA and the serving cert', async () => {
    const twin = new CertService({ kube, log, now: () => clock, advertiseAddresses: ['10.1.2.3'], listen: { address: '127.0.0.1', port: 0 } });
    const [a, b] = await Promise.all([svc.ensureCA(), twin.ensureCA()]);
    assert.deepEqual(b.certDer, a.certDer);
    assert.equal((await twin.serverCert()).certPem, (await svc.serverCert()).certPem);
  });
});

describe('CertService CA creation race', () => {
  test('two services starting together on an empty API end up with one CA', async () => {
    const kube = new FakeKubeClient();
    const log = createTestLogger();
    const mk = (): CertService => new CertService({ kube, log, advertiseAddresses: [], listen: { address: '127.0.0.1', port: 0 } });
    const [a, b] = await Promise.all([mk().ensureCA(), mk().ensureCA()]);
    assert.deepEqual(a.certDer, b.certDer);
    assert.deepEqual(a.keyDer, b.keyDer);
    assert.equal(kube.objects(Resources.secrets).filter((s) => s.metadata.name === SecretNames.ca).length, 1);
  });
});
