import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startHarness, type Harness } from '../../testing/api-server-harness.js';
import { readKubeconfig, TestHttpsClient } from '../../testing/https-client.js';

const aggregatedV2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('apiserver: identity, authentication and non-resource paths', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.close(); });

  test('unauthenticated requests get a 401 Status, except the public paths', async () => {
    const none = { auth: { kind: 'none' } } as const;
    const r = await h.client.send('GET', '/api/v1/namespaces/default/pods', none);
    assert.equal(r.status, 401);
    assert.deepEqual(r.json(), { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    assert.equal((await h.client.send('GET', '/version', none)).status, 200);
    assert.equal((await h.client.send('GET', '/healthz', none)).text, 'ok');
    assert.equal((await h.client.send('GET', '/readyz', none)).status, 200);
    assert.equal((await h.client.send('GET', '/apis', none)).status, 401);
  });

  test('a wrong bearer token is refused even on public paths; the admin token works', async () => {
    assert.equal((await h.client.send('GET', '/healthz', { auth: { kind: 'token', token: 'nope' } })).status, 401);
    const r = await h.client.send('GET', '/api/v1/namespaces/default/configmaps', { auth: { kind: 'token', token: h.server.adminToken } });
    assert.equal(r.status, 200);
    const listed = h.api.calls.at(-1);
    assert.equal(listed?.method, 'list');
  });

  test('the client certificate identity reaches the object API (CN user, O groups)', async () => {
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'who' } });
    const r = await h.client.send('POST', '/api/v1/namespaces/default/configmaps', { body, headers: { 'Content-Type': 'application/json' } });
    assert.equal(r.status, 201);
    const call = h.api.calls.find((c) => c.method === 'create' && c.name === undefined && (c.body as { metadata: { name: string } }).metadata.name === 'who');
    assert.deepEqual(call?.ctx?.user, { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] });
  });

  test('/version reports 1.31 and a platform', async () => {
    const v = (await h.client.send('GET', '/version')).json();
    assert.equal(v['major'], '1');
    assert.equal(v['minor'], '31');
    assert.match(String(v['gitVersion']), /^v1\.31\.\d+/);
    assert.match(String(v['platform']), /^[a-z]+\/[a-z0-9]+$/);
  });

  test('health endpoints answer verbose reports', async () => {
    const r = await h.client.send('GET', '/livez?verbose');
    assert.equal(r.status, 200);
    assert.match(r.text, /\[\+\]ping ok/);
    assert.match(r.text, /livez check passed/);
    assert.equal((await h.client.send('GET', '/readyz/ping')).text, 'ok');
  });

  test('legacy discovery', async () => {
    const api = (await h.client.send('GET', '/api')).json();
    assert.equal(api['kind'], 'APIVersions');
    const groups = (await h.client.send('GET', '/apis')).json<{ kind: string; groups: { name: string }[] }>();
    assert.equal(groups.kind, 'APIGroupList');
    assert.ok(groups.groups.some((g) => g.name === 'apps'));
    const v1 = (await h.client.send('GET', '/api/v1')).json<{ resources: { name: string }[] }>();
    assert.ok(v1.resources.some((r) => r.name === 'pods'));
    assert.equal((await h.client.send('GET', '/apis/apps')).json()['kind'], 'APIGroup');
    assert.equal((await h.client.send('GET', '/apis/nope.example.com/v1')).status, 404);
  });

  test('aggregated discovery answers with the exact content type', async () => {
    const r = await h.client.send('GET', '/apis', { headers: { Accept: aggregatedV2 } });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    assert.equal(r.json()['kind'], 'APIGroupDiscoveryList');
    const beta = await h.client.send('GET', '/api', { headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList' } });
    assert.equal(beta.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
    assert.equal(beta.json()['apiVersion'], 'apidiscovery.k8s.io/v2beta1');
  });

  test('openapi v3: root, hashed documents are immutable, stale hashes redirect', async () => {
    const root = (await h.client.send('GET', '/openapi/v3')).json<{ paths: Record<string, { serverRelativeURL: string }> }>();
    const url = root.paths['apis/apps/v1']?.serverRelativeURL ?? '';
    assert.match(url, /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]+$/);
    const doc = await h.client.send('GET', url);
    assert.equal(doc.status, 200);
    assert.match(String(doc.headers['cache-control']), /immutable/);
    assert.equal(doc.json()['openapi'], '3.0.0');
    const plain = await h.client.send('GET', '/openapi/v3/apis/apps/v1');
    assert.equal(plain.headers['etag'], `"${url.split('hash=')[1]}"`);
    const again = await h.client.send('GET', '/openapi/v3/apis/apps/v1', { headers: { 'If-None-Match': String(plain.headers['etag']) } });
    assert.equal(again.status, 304);
    const stale = await h.client.send('GET', '/openapi/v3/apis/apps/v1?hash=0000');
    assert.equal(stale.status, 301);
    assert.equal(stale.headers['location'], url);
  });

  test('openapi v2 is JSON; a protobuf-only client gets 406', async () => {
    assert.equal((await h.client.send('GET', '/openapi/v2')).status, 200);
    const pb = await h.client.send('GET', '/openapi/v2', { headers: { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
    assert.equal(pb.status, 406);
    assert.equal(pb.json()['reason'], 'NotAcceptable');
  });

  test('unknown paths are 404 Status, wrong methods 405', async () => {
    const r = await h.client.send('GET', '/nope');
    assert.equal(r.status, 404);
    assert.equal(r.json()['message'], 'the server could not find the requested resource');
    assert.equal((await h.client.send('GET', '/api/v1/namespaces/default/widgets')).status, 404);
    assert.equal((await h.client.send('POST', '/version')).status, 405);
    assert.equal((await h.client.send('PUT', '/api/v1/namespaces/default/configmaps')).status, 405);
  });
});

describe('apiserver: authorization hook', () => {
  test('a denying authorizer turns requests into 403 Status', async () => {
    const h = await startHarness({
      authorizer: (user, attrs) => (attrs.kind === 'resource' && attrs.resource === 'secrets' ? { allowed: false, reason: `no secrets for ${user.username}` } : { allowed: true }),
    });
    try {
      const r = await h.client.send('GET', '/api/v1/namespaces/default/secrets/s1');
      assert.equal(r.status, 403);
      assert.equal(r.json()['message'], 'secrets "s1" is forbidden: User "kubernetes-admin" cannot get resource "secrets" in API group "" in the namespace "default": no secrets for kubernetes-admin');
      assert.equal(h.api.calls.length, 0);
      assert.equal((await h.client.send('GET', '/api/v1/namespaces/default/configmaps')).status, 200);
    } finally {
      await h.close();
    }
  });
});

describe('apiserver: restart', () => {
  test('reuses the CA and credentials so an existing kubeconfig stays valid', async () => {
    const first = await startHarness({ keepDir: true });
    const oldCreds = first.client.creds;
    const ca = first.server.caPem;
    const token = first.server.adminToken;
    const port = first.server.port;
    await first.close();
    for (const f of ['pki/ca.key', 'pki/apiserver.key', 'pki/admin.key', 'pki/tokens.csv', 'admin.kubeconfig']) {
      assert.equal((await stat(join(first.dir, f))).mode & 0o777, 0o600, f);
    }
    const second = await startHarness({ dataDir: first.dir, port });
    try {
      assert.equal(second.server.caPem, ca);
      assert.equal(second.server.adminToken, token);
      const oldClient = new TestHttpsClient(oldCreds);
      assert.equal((await oldClient.send('GET', '/api/v1/namespaces/default/pods')).status, 200);
      const creds = await readKubeconfig(second.server.adminKubeconfigPath);
      assert.equal(creds.certPem, oldCreds.certPem);
    } finally {
      await second.close();
    }
  });
});
