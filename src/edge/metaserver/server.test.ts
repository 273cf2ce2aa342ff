import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createSilentLogger, type Message } from '../../core/index.js';
import type { MetaManager } from '../metamanager/index.js';
import { startMetaServer } from './server.js';
import type { MetaServer, MetaStoreReader } from './types.js';
import { FakeMetaStore } from '../../testing/fake-meta-store.js';

const pod = (name: string, nodeName: string) => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: name === 'web' ? '12' : '7' },
  spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }] },
  status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }], hostIP: '10.0.0.5' },
});

describe('metaserver over HTTP', () => {
  const store = new FakeMetaStore();
  const enqueued: Message[] = [];
  let server: MetaServer;
  let base: string;

  before(async () => {
    store.put('pod', pod('web', 'edge-1'));
    store.put('pod', pod('other', 'edge-2'));
    store.put('configmap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { k: 'v' } });
    store.put('node', { metadata: { name: 'edge-1' }, status: {} });
    server = await startMetaServer({ port: 0, store, hub: { enqueue: (m) => enqueued.push(m) }, nodeName: 'edge-1', log: createSilentLogger() });
    base = `http://127.0.0.1:${server.port}`;
  });
  after(() => server.close());

  const call = async (method: string, path: string, body?: string, type = 'application/merge-patch+json') => {
    const res = await fetch(base + path, { method, body, headers: body === undefined ? {} : { 'content-type': type } });
    return { code: res.status, body: (await res.json()) as Record<string, any> };
  };

  test('GET one object, with apiVersion and kind filled in', async () => {
    const r = await call('GET', '/api/v1/namespaces/default/pods/web');
    assert.equal(r.code, 200);
    assert.equal(r.body.kind, 'Pod');
    assert.equal(r.body.apiVersion, 'v1');
    assert.equal(r.body.metadata.name, 'web');
    const n = await call('GET', '/api/v1/nodes/edge-1');
    assert.equal(n.body.kind, 'Node');
  });

  test('GET lists are v1 Lists of the right kind', async () => {
    const r = await call('GET', '/api/v1/namespaces/default/configmaps');
    assert.equal(r.body.kind, 'ConfigMapList');
    assert.deepEqual(r.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['cfg']);
    const all = await call('GET', '/api/v1/pods');
    assert.equal(all.body.kind, 'PodList');
    assert.deepEqual(all.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['other', 'web']);
    assert.equal(all.body.metadata.resourceVersion, '12');
    const none = await call('GET', '/api/v1/namespaces/empty/secrets');
    assert.deepEqual(none.body.items, []);
  });

  test('discovery: version, core and devices group, read verbs plus the two writes', async () => {
    const v = await call('GET', '/version');
    assert.equal(v.body.minor, '31');
    assert.match(v.body.gitVersion, /^v1\.31\./);
    assert.deepEqual((await call('GET', '/api')).body.versions, ['v1']);
    const core = (await call('GET', '/api/v1')).body;
    assert.equal(core.kind, 'APIResourceList');
    const byName = new Map<string, { verbs: string[]; shortNames?: string[]; namespaced: boolean }>(core.resources.map((r: { name: string }) => [r.name, r]));
    assert.deepEqual(byName.get('pods')?.verbs, ['get', 'list', 'watch']);
    assert.deepEqual(byName.get('pods/status')?.verbs, ['get', 'patch']);
    assert.deepEqual(byName.get('events')?.verbs, ['create']);
    assert.equal(byName.get('nodes')?.namespaced, false);
    assert.deepEqual(['pods', 'nodes', 'configmaps', 'services', 'endpoints'].map((n) => byName.get(n)?.shortNames?.[0]), ['po', 'no', 'cm', 'svc', 'ep']);
    const groups = (await call('GET', '/apis')).body;
    assert.deepEqual(groups.groups.map((g: { preferredVersion: { groupVersion: string } }) => g.preferredVersion.groupVersion), ['devices.kubeedge.io/v1beta1']);
    assert.equal((await call('GET', '/apis/devices.kubeedge.io')).body.kind, 'APIGroup');
    const dev = (await call('GET', '/apis/devices.kubeedge.io/v1beta1')).body;
    assert.deepEqual(dev.resources.map((r: { name: string }) => r.name), ['devices', 'devicemodels']);
    const devices = await call('GET', '/apis/devices.kubeedge.io/v1beta1/devices');
    assert.deepEqual({ kind: devices.body.kind, apiVersion: devices.body.apiVersion, items: devices.body.items }, { kind: 'DeviceList', apiVersion: 'devices.kubeedge.io/v1beta1', items: [] });
    const missing = await call('GET', '/apis/devices.kubeedge.io/v1beta1/namespaces/default/devices/d1');
    assert.equal(missing.body.message, 'devices.devices.kubeedge.io "d1" not found');
    assert.equal((await call('GET', '/openapi/v2')).code, 404);
  });

  test('a single object as a Table; list selectors; 406 for protobuf only', async () => {
    const r = await fetch(`${base}/api/v1/namespaces/default/pods/web`, { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
    const t = (await r.json()) as { kind: string; rows: { cells: unknown[] }[] };
    assert.equal(t.kind, 'Table');
    assert.deepEqual(t.rows.map((row) => row.cells.slice(0, 3)), [['web', '0/1', 'Pending']]);
    assert.deepEqual((await call('GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dedge-2')).body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['other']);
    const bad = await call('GET', '/api/v1/pods?labelSelector=a%20in%20(');
    assert.equal(bad.code, 400);
    assert.equal(bad.body.reason, 'BadRequest');
    const proto = await fetch(`${base}/api/v1/pods`, { headers: { accept: 'application/vnd.kubernetes.protobuf' } });
    assert.equal(proto.status, 406);
  });

  test('missing objects and unknown paths answer a Status', async () => {
    const r = await call('GET', '/api/v1/namespaces/default/secrets/nope');
    assert.equal(r.code, 404);
    assert.deepEqual(r.body, {
      apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message: 'secrets "nope" not found', reason: 'NotFound', code: 404,
      details: { name: 'nope', kind: 'secrets' },
    });
    const u = await call('GET', '/apis/apps/v1/deployments');
    assert.equal(u.code, 404);
    assert.equal(u.body.kind, 'Status');
    const m = await call('DELETE', '/api/v1/namespaces/default/pods/web');
    assert.equal(m.code, 405);
  });

  test('PATCH pod status: merged answer, KubeEdge podstatus message in the outbox, store untouched', async () => {
    enqueued.length = 0;
    const r = await call('PATCH', '/api/v1/namespaces/default/pods/web/status', JSON.stringify({ metadata: { uid: 'uid-web' }, status: { phase: 'Running', podIP: '10.1.0.2', hostIP: null } }));
    assert.equal(r.code, 200);
    assert.equal(r.body.status.phase, 'Running');
    assert.equal(r.body.status.podIP, '10.1.0.2');
    assert.equal(r.body.status.hostIP, undefined);
    assert.deepEqual(r.body.status.conditions, [{ type: 'Ready', status: 'False' }]);
    assert.equal(enqueued.length, 1);
    const msg = enqueued[0] as Message;
    assert.deepEqual(msg.route, { source: 'edged', group: 'meta', operation: 'update', resource: 'default/podstatus/web' });
    assert.deepEqual(msg.content, { UID: 'uid-web', Name: 'web', Status: r.body.status });
    assert.equal(JSON.parse(store.get('pod', 'default', 'web') as string).status.phase, 'Pending');
  });

  test('PATCH refuses pods of other nodes, unknown pods, stale uids, bad JSON and other patch types', async () => {
    enqueued.length = 0;
    const other = await call('PATCH', '/api/v1/namespaces/default/pods/other/status', '{"status":{"phase":"Running"}}');
    assert.equal(other.code, 403);
    assert.equal(other.body.reason, 'Forbidden');
    assert.equal((await call('PATCH', '/api/v1/namespaces/default/pods/ghost/status', '{}')).code, 404);
    assert.equal((await call('PATCH', '/api/v1/namespaces/default/pods/web/status', '{"metadata":{"uid":"old"}}')).code, 409);
    const bad = await call('PATCH', '/api/v1/namespaces/default/pods/web/status', '{not json');
    assert.equal(bad.code, 400);
    assert.equal(bad.body.reason, 'BadRequest');
    assert.equal((await call('PATCH', '/api/v1/namespaces/default/pods/web/status', '[]', 'application/json-patch+json')).code, 415);
    assert.equal(enqueued.length, 0);
  });

  test('bodies over 1 MiB are refused with 413', async () => {
    const big = JSON.stringify({ status: { message: 'x'.repeat(1024 * 1024) } });
    const r = await call('PATCH', '/api/v1/namespaces/default/pods/web/status', big);
    assert.equal(r.code, 413);
    assert.equal(r.body.reason, 'RequestEntityTooLarge');
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/api/v1/namespaces/default/events`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 40; i++) req.write('x'.repeat(64 * 1024));
      req.end();
    });
    assert.equal(chunked, 413, 'a body without content-length is cut off at the limit too');
  });

  test('POST events: 201, namespace filled in, name generated, KubeEdge event insert in the outbox', async () => {
    enqueued.length = 0;
    const ev = { metadata: { generateName: 'web.' }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' }, reason: 'Started', type: 'Normal' };
    const r = await call('POST', '/api/v1/namespaces/default/events', JSON.stringify(ev), 'application/json');
    assert.equal(r.code, 201);
    assert.match(r.body.metadata.name, /^web\.[a-z0-9]{5}$/);
    assert.equal(r.body.metadata.namespace, 'default');
    assert.equal(r.body.kind, 'Event');
    const msg = enqueued[0] as Message;
    assert.equal(msg.route.resource, `default/event/${r.body.metadata.name}`);
    assert.equal(msg.route.operation, 'insert');
    assert.equal(msg.route.source, 'edged');
    assert.deepEqual(msg.content, r.body);

    assert.equal((await call('POST', '/api/v1/namespaces/default/events', '{"metadata":{}}', 'application/json')).code, 422);
    assert.equal((await call('POST', '/api/v1/namespaces/default/events', '{"metadata":{"name":"e","namespace":"other"}}', 'application/json')).code, 400);
    assert.equal(enqueued.length, 1);
  });
});

// metamanager's MetaManager is the production store: it must fit MetaStoreReader as is.
export const metaManagerFits = (m: MetaManager): MetaStoreReader => m;

describe('startMetaServer', () => {
  test('refuses a non-loopback host', async () => {
    await assert.rejects(
      startMetaServer({ host: '0.0.0.0', port: 0, store: { get: () => undefined, list: () => [], onChange: () => () => {} }, hub: { enqueue() {} }, nodeName: 'n', log: createSilentLogger() }),
      (err: Error & { code?: string }) => err.code === 'not_loopback',
    );
  });
});
