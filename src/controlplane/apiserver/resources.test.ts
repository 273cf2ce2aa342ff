import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../../testing/api-server-harness.js';

const json = { 'Content-Type': 'application/json' };
const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const pod = (name: string, labels: Record<string, string> = {}) => JSON.stringify({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] },
});

describe('apiserver: resource routing', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.close(); });
  const last = () => h.api.calls.at(-1);
  const lastOf = (method: string) => h.api.calls.filter((c) => c.method === method).at(-1);

  test('create, get and list pods', async () => {
    const created = await h.client.send('POST', '/api/v1/namespaces/default/pods', { body: pod('web', { app: 'web' }), headers: json });
    assert.equal(created.status, 201);
    assert.equal(created.json<{ metadata: { namespace: string } }>().metadata.namespace, 'default');
    const got = await h.client.send('GET', '/api/v1/namespaces/default/pods/web');
    assert.equal(got.status, 200);
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(got.json()['kind'], 'Pod');
    const list = await h.client.send('GET', '/api/v1/pods?labelSelector=app%3Dweb&limit=5&resourceVersion=0');
    assert.equal(list.json<{ items: unknown[] }>().items.length, 1);
    assert.deepEqual(last()?.options, { labelSelector: 'app=web', limit: 5, resourceVersion: '0' });
  });

  test('kubectl get: Table answers for list and get, with includeObject', async () => {
    const r = await h.client.send('GET', '/api/v1/namespaces/default/pods?limit=500', { headers: { Accept: tableAccept } });
    const table = r.json<{ kind: string; apiVersion: string; columnDefinitions: { name: string }[]; rows: { cells: unknown[]; object: { kind: string } }[] }>();
    assert.equal(table.kind, 'Table');
    assert.equal(table.apiVersion, 'meta.k8s.io/v1');
    assert.equal(table.columnDefinitions[0]?.name, 'Name');
    assert.equal(table.rows[0]?.cells[0], 'web');
    assert.equal(table.rows[0]?.object.kind, 'PartialObjectMetadata');
    const one = await h.client.send('GET', '/api/v1/namespaces/default/pods/web?includeObject=Object', { headers: { Accept: tableAccept } });
    assert.equal(one.json<{ rows: { object: { kind: string } }[] }>().rows[0]?.object.kind, 'Pod');
    const pb = await h.client.send('GET', '/api/v1/namespaces/default/pods', { headers: { Accept: 'application/vnd.kubernetes.protobuf' } });
    assert.equal(pb.status, 406);
  });

  test('PUT updates, status subresource, conflicts are 409', async () => {
    const cur = (await h.client.send('GET', '/api/v1/namespaces/default/pods/web')).json<{ metadata: Record<string, unknown> }>();
    const body = JSON.stringify({ ...cur, metadata: { ...cur.metadata, labels: { app: 'web', v: '2' } } });
    assert.equal((await h.client.send('PUT', '/api/v1/namespaces/default/pods/web', { body, headers: json })).status, 200);
    assert.equal((await h.client.send('PUT', '/api/v1/namespaces/default/pods/web', { body, headers: json })).status, 409);
    const st = await h.client.send('PUT', '/api/v1/namespaces/default/pods/web/status', { body: JSON.stringify({ kind: 'Pod', metadata: {}, status: { phase: 'Running' } }), headers: json });
    assert.equal(st.status, 200);
    assert.equal(last()?.subresource, 'status');
    const wrong = await h.client.send('PUT', '/api/v1/namespaces/default/pods/web', { body: pod('other'), headers: json });
    assert.equal(wrong.status, 400);
  });

  test('PATCH: each content type selects the patch type', async () => {
    const cases: [string, string, string][] = [
      ['application/strategic-merge-patch+json', '{"metadata":{"labels":{"s":"1"}}}', 'strategic'],
      ['application/merge-patch+json', '{"metadata":{"labels":{"m":"1"}}}', 'merge'],
      ['application/apply-patch+yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    a: "1"\n', 'apply'],
    ];
    for (const [type, body, expected] of cases) {
      const q = expected === 'apply' ? '?fieldManager=kubectl&force=true' : '?fieldManager=kubectl-label';
      const r = await h.client.send('PATCH', `/api/v1/namespaces/default/pods/web${q}`, { body, headers: { 'Content-Type': type } });
      assert.equal(r.status, 200, `${type}: ${r.text}`);
      assert.equal(last()?.patchType, expected);
    }
    assert.deepEqual(last()?.options, { user: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] }, fieldManager: 'kubectl', force: true });
    const jp = await h.client.send('PATCH', '/api/v1/namespaces/default/pods/web', { body: '[{"op":"add","path":"/x","value":1}]', headers: { 'Content-Type': 'application/json-patch+json' } });
    assert.equal(last()?.patchType, 'json');
    assert.equal(jp.status, 400);
    const scale = await h.client.send('PATCH', '/apis/apps/v1/namespaces/default/deployments/nope/scale', { body: '{"spec":{"replicas":3}}', headers: { 'Content-Type': 'application/merge-patch+json' } });
    assert.equal(scale.status, 404);
    assert.equal(last()?.subresource, 'scale');
  });

  test('bad patch content type is 415, apply without fieldManager 422, malformed bodies 400', async () => {
    const r = await h.client.send('PATCH', '/api/v1/namespaces/default/pods/web', { body: '{}', headers: json });
    assert.equal(r.status, 415);
    assert.equal(r.json()['reason'], 'UnsupportedMediaType');
    assert.equal((await h.client.send('PATCH', '/api/v1/namespaces/default/pods/web', { body: 'a: 1', headers: { 'Content-Type': 'application/apply-patch+yaml' } })).status, 422);
    const bad = await h.client.send('POST', '/api/v1/namespaces/default/pods', { body: '{"metadata": {', headers: json });
    assert.equal(bad.status, 400);
    assert.match(String(bad.json()['message']), /^couldn't get version\/kind; json parse error: /);
    const yaml = await h.client.send('PATCH', '/api/v1/namespaces/default/pods/web?fieldManager=x', { body: 'a: [1', headers: { 'Content-Type': 'application/apply-patch+yaml' } });
    assert.equal(yaml.status, 400);
    assert.equal((await h.client.send('POST', '/api/v1/namespaces/default/pods', { body: 'x', headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' } })).status, 415);
    const kind = await h.client.send('POST', '/api/v1/namespaces/default/pods', { body: JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }), headers: json });
    assert.equal(kind.status, 400);
    const version = await h.client.send('POST', '/apis/apps/v1/namespaces/default/deployments', { body: JSON.stringify({ apiVersion: 'apps/v2', kind: 'Deployment', metadata: { name: 'd' } }), headers: json });
    assert.equal(version.status, 400);
  });

  test('DELETE with body options, dryRun query, and collection delete', async () => {
    await h.client.send('POST', '/api/v1/namespaces/default/configmaps', { body: JSON.stringify({ metadata: { name: 'a', labels: { x: '1' } } }), headers: json });
    await h.client.send('POST', '/api/v1/namespaces/default/configmaps', { body: JSON.stringify({ metadata: { name: 'b', labels: { x: '1' } } }), headers: json });
    const dry = await h.client.send('DELETE', '/api/v1/namespaces/default/configmaps/a?dryRun=All');
    assert.equal(dry.status, 200);
    assert.deepEqual(lastOf('delete')?.options, { dryRun: true });
    const del = await h.client.send('DELETE', '/api/v1/namespaces/default/configmaps/a', {
      body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground', gracePeriodSeconds: 0, preconditions: { uid: 'u' } }), headers: json,
    });
    assert.equal(del.status, 200);
    assert.deepEqual(lastOf('delete')?.options, { propagationPolicy: 'Foreground', gracePeriodSeconds: 0, preconditions: { uid: 'u' } });
    const coll = await h.client.send('DELETE', '/api/v1/namespaces/default/configmaps?labelSelector=x%3D1');
    assert.equal(coll.status, 200);
    assert.equal(coll.json<{ items: unknown[] }>().items.length, 1);
    assert.equal((await h.client.send('DELETE', '/api/v1/namespaces/default/configmaps/zzz')).status, 404);
    assert.equal((await h.client.send('DELETE', '/api/v1/namespaces/default/configmaps/a?propagationPolicy=Sideways')).status, 400);
  });

  test('pods/binding goes to api.bind; eviction deletes', async () => {
    await h.client.send('POST', '/api/v1/namespaces/default/pods', { body: pod('b1'), headers: json });
    const r = await h.client.send('POST', '/api/v1/namespaces/default/pods/b1/binding', {
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'b1' }, target: { kind: 'Node', name: 'n1' } }), headers: json,
    });
    assert.equal(r.status, 201);
    assert.equal(last()?.method, 'bind');
    const ev = await h.client.send('POST', '/api/v1/namespaces/default/pods/b1/eviction', {
      body: JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'b1' } }), headers: json,
    });
    assert.equal(ev.status, 201);
    assert.equal(h.api.calls.some((c) => c.method === 'delete' && c.name === 'b1'), true);
  });

  test('pods/log without a registered handler is a clean 503; a registered one is called', async () => {
    const r = await h.client.send('GET', '/api/v1/namespaces/default/pods/web/log?container=c');
    assert.equal(r.status, 503);
    assert.equal(r.json()['message'], 'pods/log is not available: no stream handler registered');
    assert.equal((await h.client.send('GET', '/api/v1/namespaces/default/pods/ghost/log')).status, 404);
    h.server.registerPodSubresource('log', (_req, res, params) => {
      res?.writeHead(200, { 'Content-Type': 'text/plain' });
      res?.end(`log of ${params.namespace}/${params.name} container=${params.query.get('container') ?? ''} node=${String((params.pod['spec'] as { nodeName?: string } | undefined)?.nodeName)}`);
    });
    const ok = await h.client.send('GET', '/api/v1/namespaces/default/pods/web/log?container=c');
    assert.equal(ok.text, 'log of default/web container=c node=undefined');
  });

  test('an unexpected failure is a generic 500 Status, logged with its stack', async () => {
    h.api.failNext = new TypeError('boom inside');
    const r = await h.client.send('GET', '/api/v1/namespaces/default/pods/web');
    assert.equal(r.status, 500);
    assert.equal(r.json()['reason'], 'InternalError');
    assert.doesNotMatch(r.text, /boom/);
    const logged = h.log.find('request failed');
    assert.equal(logged.length, 1);
    assert.match(String(logged[0]?.['stack']), /boom inside/);
  });

  test('scope: cluster-scoped resources under a namespace and named pods without one are 404', async () => {
    assert.equal((await h.client.send('GET', '/api/v1/namespaces/default/nodes')).status, 404);
    assert.equal((await h.client.send('GET', '/api/v1/pods/web')).status, 404);
    assert.equal((await h.client.send('POST', '/api/v1/pods', { body: pod('x'), headers: json })).status, 405);
    assert.equal((await h.client.send('GET', '/api/v2/pods')).status, 404);
  });
});
