import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { createSilentLogger } from '../../core/index.js';
import { createCA, issueCertificate } from '../../core/pki/index.js';
import { ModelLookupError, type ModelSource } from './admit.js';
import { startAdmissionServer, type AdmissionServer } from './server.js';

interface Reply { status: number; headers: Record<string, unknown>; text: string }

/** One HTTPS request trusting `ca`; `chunks` are written one by one without a Content-Length. */
function send(port: number, ca: string, o: { method?: string; path: string; body?: string; chunks?: string[]; type?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': o.type ?? 'application/json' };
    if (o.body !== undefined) headers['content-length'] = Buffer.byteLength(o.body);
    const req = request({ host: '127.0.0.1', port, path: o.path, method: o.method ?? 'POST', ca, servername: 'localhost', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => { text += d; }).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    for (const c of o.chunks ?? []) req.write(c);
    req.end(o.body);
  });
}

const review = (uid: string, object: unknown, operation = 'CREATE'): string => JSON.stringify({
  apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
  request: { uid, operation, namespace: 'default', name: 'd', object, resource: { group: 'devices.kubeedge.io', version: 'v1beta1', resource: 'devices' } },
});
const device = { metadata: { name: 'd', namespace: 'default' }, spec: { deviceModelRef: { name: 'm' }, properties: [{ name: 'p' }] } };

describe('admission HTTPS server', () => {
  let ca = '';
  let server: AdmissionServer;
  let lookupFails = false;
  const models: ModelSource = {
    get: (ns, name) => (lookupFails
      ? Promise.reject(new ModelLookupError(ns, name, 403, new Error('HTTP 403: forbidden')))
      : Promise.resolve({ metadata: { name }, spec: { properties: [{ name: 'p', type: 'INT' }] } })),
  };

  before(async () => {
    const authority = await createCA('admission-test-ca');
    const serving = await issueCertificate(authority, { commonName: 'admission', dnsNames: ['localhost'], usage: 'server' });
    ca = authority.certPem;
    server = await startAdmissionServer({ host: '127.0.0.1', port: 0, tls: { cert: serving.certPem, key: serving.keyPem }, models, log: createSilentLogger(), bodyLimit: 4096 });
  });
  after(async () => { await server.stop(); });

  test('answers a review with the same uid, and GET /healthz with ok', async () => {
    const r = await send(server.port, ca, { path: '/devices', body: review('uid-7', device) });
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /application\/json/);
    assert.deepEqual(JSON.parse(r.text), { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'uid-7', allowed: true } });
    assert.deepEqual(await send(server.port, ca, { method: 'GET', path: '/healthz' }).then((x) => [x.status, x.text]), [200, 'ok']);
  });

  test('a model the API server refuses to give is a denial with code 500', async () => {
    lookupFails = true;
    try {
      const r = await send(server.port, ca, { path: '/devices', body: review('uid-8', device) });
      const response = (JSON.parse(r.text) as { response: { uid: string; allowed: boolean; result: { code: number; message: string } } }).response;
      assert.equal(response.uid, 'uid-8');
      assert.equal(response.allowed, false);
      assert.equal(response.result.code, 500);
      assert.match(response.result.message, /HTTP 403: forbidden/);
    } finally {
      lookupFails = false;
    }
  });

  test('bad requests get a plain-text 4xx and the server keeps serving', async () => {
    const cases: Array<[Parameters<typeof send>[2], number, RegExp]> = [
      [{ path: '/devices', body: '{"apiVersion": ' }, 400, /not valid JSON/],
      [{ path: '/devicemodels', body: '{"apiVersion":"v1","kind":"Pod"}' }, 400, /expected kind AdmissionReview/],
      [{ path: '/pods', body: review('u', device) }, 404, /no webhook at \/pods/],
      [{ method: 'GET', path: '/devices' }, 405, /use POST/],
      [{ path: '/devices', body: review('u', device), type: 'application/yaml' }, 415, /application\/json/],
      [{ path: '/devices', body: 'x'.repeat(5000) }, 413, /larger than 4096 bytes/],
      [{ path: '/devices', chunks: Array.from({ length: 10 }, () => 'y'.repeat(1000)) }, 413, /larger than 4096 bytes/],
    ];
    for (const [req, status, text] of cases) {
      const r = await send(server.port, ca, req);
      assert.equal(r.status, status, `${req.method ?? 'POST'} ${req.path}: ${r.text}`);
      assert.match(r.text, text);
    }
    const ok = await send(server.port, ca, { path: '/devices', body: review('after', device) });
    assert.equal((JSON.parse(ok.text) as { response: { uid: string } }).response.uid, 'after');
  });
});
