import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeError, Resources, type WatchEvent } from '../cloud/kube/index.js';
import { FakeKubeClient, matchesLabels, mergePatch } from './fake-kube-client.js';

const cm = (name: string, labels: Record<string, string> = {}, ns = 'default') =>
  ({ metadata: { name, namespace: ns, labels }, data: { a: '1' } });

describe('FakeKubeClient', () => {
  test('create assigns uid, rv, kind; get returns a copy; missing is undefined', async () => {
    const k = new FakeKubeClient();
    const a = await k.create(Resources.configmaps, cm('a'));
    assert.ok(a.metadata.uid);
    assert.equal(a.metadata.resourceVersion, '1');
    assert.equal(a.kind, 'ConfigMap');
    assert.equal(a.apiVersion, 'v1');
    const got = await k.get(Resources.configmaps, 'default', 'a');
    assert.deepEqual(got, a);
    got!.metadata.name = 'changed';
    assert.equal((await k.get(Resources.configmaps, 'default', 'a'))?.metadata.name, 'a');
    assert.equal(await k.get(Resources.configmaps, 'default', 'nope'), undefined);
    assert.equal(await k.get(Resources.configmaps, 'other', 'a'), undefined);
    await assert.rejects(k.create(Resources.configmaps, cm('a')), (e: unknown) => e instanceof KubeError && e.status === 409 && e.reason === 'AlreadyExists');
  });

  test('update: 409 on a stale resourceVersion, 404 when missing; rv is global', async () => {
    const k = new FakeKubeClient();
    const a = await k.create(Resources.configmaps, cm('a'));
    const n = await k.create(Resources.nodes, { metadata: { name: 'n1' } });
    assert.equal(n.metadata.resourceVersion, '2');
    assert.equal(n.metadata.namespace, undefined);
    const a2 = await k.update(Resources.configmaps, { ...a, data: { a: '2' } });
    assert.equal(a2.metadata.resourceVersion, '3');
    await assert.rejects(k.update(Resources.configmaps, { ...a, data: { a: '3' } }), (e: unknown) => e instanceof KubeError && e.status === 409);
    await assert.rejects(k.update(Resources.configmaps, cm('zz')), (e: unknown) => e instanceof KubeError && e.status === 404);
  });

  test('status subresource: create and main writes keep status, status writes change only status', async () => {
    const k = new FakeKubeClient();
    const s = await k.create(Resources.objectsyncs, { metadata: { name: 'n.u', namespace: 'default' }, spec: { objectName: 'x' }, status: { objectResourceVersion: '9' } });
    assert.equal(s['status'], undefined);
    const s2 = await k.update(Resources.objectsyncs, { ...s, spec: { objectName: 'y' }, status: { objectResourceVersion: '5' } }, 'status');
    assert.deepEqual(s2['status'], { objectResourceVersion: '5' });
    assert.deepEqual(s2['spec'], { objectName: 'x' });
    const s3 = await k.patch(Resources.objectsyncs, 'default', 'n.u', { status: { objectResourceVersion: '1' }, spec: { objectName: 'z' } }, 'merge');
    assert.deepEqual(s3['status'], { objectResourceVersion: '5' });
    assert.deepEqual(s3['spec'], { objectName: 'z' });
  });

  test('merge and json patches', async () => {
    const k = new FakeKubeClient();
    await k.create(Resources.configmaps, { metadata: { name: 'a', namespace: 'default', labels: { x: '1', y: '2' } }, data: { a: '1' } });
    const p = await k.patch(Resources.configmaps, 'default', 'a', { metadata: { labels: { x: null, z: '3' } }, data: { b: '2' } }, 'strategic');
    assert.deepEqual(p.metadata.labels, { y: '2', z: '3' });
    assert.deepEqual(p['data'], { a: '1', b: '2' });
    const j = await k.patch(Resources.configmaps, 'default', 'a', [{ op: 'replace', path: '/data/a', value: 'x' }, { op: 'remove', path: '/data/b' }], 'json');
    assert.deepEqual(j['data'], { a: 'x' });
    await assert.rejects(k.patch(Resources.configmaps, 'default', 'a', [{ op: 'test', path: '/data/a', value: 'no' }], 'json'), KubeError);
    await assert.rejects(k.patch(Resources.configmaps, 'default', 'missing', {}, 'merge'), (e: unknown) => e instanceof KubeError && e.status === 404);
    assert.deepEqual(mergePatch({ a: { b: 1, c: 2 } }, { a: { b: null } }), { a: { c: 2 } });
  });

  test('list filters by namespace, labels and fields', async () => {
    const k = new FakeKubeClient();
    await k.create(Resources.configmaps, cm('a', { app: 'x' }));
    await k.create(Resources.configmaps, cm('b', { app: 'y' }));
    await k.create(Resources.configmaps, cm('c', { app: 'x' }, 'kube-system'));
    await k.create(Resources.pods, { metadata: { name: 'p1', namespace: 'default' }, spec: { nodeName: 'edge-1' } });
    await k.create(Resources.pods, { metadata: { name: 'p2', namespace: 'default' }, spec: { nodeName: 'edge-2' } });
    const names = async (p: Promise<{ items: { metadata: { name?: string } }[] }>) => (await p).items.map((o) => o.metadata.name).sort();
    assert.deepEqual(await names(k.list(Resources.configmaps, { labelSelector: 'app=x' })), ['a', 'c']);
    assert.deepEqual(await names(k.list(Resources.configmaps, { labelSelector: 'app=x', namespace: 'default' })), ['a']);
    assert.deepEqual(await names(k.list(Resources.configmaps, { labelSelector: 'app!=x' })), ['b']);
    assert.deepEqual(await names(k.list(Resources.configmaps, { fieldSelector: 'metadata.name=b' })), ['b']);
    assert.deepEqual(await names(k.list(Resources.pods, { fieldSelector: 'spec.nodeName=edge-2' })), ['p2']);
    assert.equal((await k.list(Resources.pods)).resourceVersion, '5');
    assert.ok(matchesLabels({ 'node-role.kubernetes.io/edge': '' }, 'node-role.kubernetes.io/edge'));
    assert.ok(!matchesLabels({}, 'node-role.kubernetes.io/edge'));
  });

  test('delete: emits DELETED with a new rv, missing resolves, uid precondition', async () => {
    const k = new FakeKubeClient();
    const a = await k.create(Resources.configmaps, cm('a'));
    await assert.rejects(k.delete(Resources.configmaps, 'default', 'a', { uid: 'other' }), (e: unknown) => e instanceof KubeError && e.status === 409);
    const events: WatchEvent[] = [];
    const ac = new AbortController();
    const done = k.watch(Resources.configmaps, { resourceVersion: a.metadata.resourceVersion! }, (e) => events.push(e), ac.signal);
    await k.delete(Resources.configmaps, 'default', 'a', { uid: a.metadata.uid! });
    await k.delete(Resources.configmaps, 'default', 'a');
    ac.abort();
    await done;
    assert.deepEqual(events.map((e) => [e.type, e.object.metadata.resourceVersion]), [['DELETED', '2']]);
  });

  test('watch replays history after rv, filters, fans out, ends and expires', async () => {
    const k = new FakeKubeClient({ historySize: 3 });
    await k.create(Resources.configmaps, cm('a', { app: 'x' }));
    await k.create(Resources.configmaps, cm('b', { app: 'y' }));
    const seen1: string[] = [];
    const seen2: string[] = [];
    const ac = new AbortController();
    const w1 = k.watch(Resources.configmaps, { resourceVersion: '1', labelSelector: 'app=y' }, (e) => seen1.push(`${e.type}:${e.object.metadata.name}`), ac.signal);
    const w2 = k.watch(Resources.configmaps, { resourceVersion: '2' }, (e) => seen2.push(`${e.type}:${e.object.metadata.name}`), ac.signal);
    await k.create(Resources.secrets, { metadata: { name: 's', namespace: 'default' } });
    await k.patch(Resources.configmaps, 'default', 'a', { data: { a: '2' } }, 'merge');
    assert.equal(k.watcherCount(), 2);
    k.endWatches();
    await w1;
    await w2;
    assert.deepEqual(seen1, ['ADDED:b']);
    assert.deepEqual(seen2, ['MODIFIED:a']);
    for (let i = 0; i < 5; i++) await k.patch(Resources.configmaps, 'default', 'a', { data: { a: String(i) } }, 'merge');
    await assert.rejects(k.watch(Resources.configmaps, { resourceVersion: '2' }, () => undefined, ac.signal), (e: unknown) => e instanceof KubeError && e.status === 410);
    const w3 = k.watch(Resources.configmaps, { resourceVersion: k.resourceVersion }, () => undefined, ac.signal);
    k.expireWatches();
    await assert.rejects(w3, (e: unknown) => e instanceof KubeError && e.status === 410 && e.reason === 'Expired');
  });

  test('watch from rv 0 sends current objects; abort resolves; failNext injects errors', async () => {
    const k = new FakeKubeClient();
    await k.create(Resources.nodes, { metadata: { name: 'n1' } });
    const seen: string[] = [];
    const ac = new AbortController();
    const w = k.watch(Resources.nodes, { resourceVersion: '0' }, (e) => seen.push(`${e.type}:${e.object.metadata.name}`), ac.signal);
    ac.abort();
    await w;
    assert.deepEqual(seen, ['ADDED:n1']);
    assert.equal(k.watcherCount(), 0);
    k.failNext('get', new KubeError(500, 'InternalError', 'boom'));
    await assert.rejects(k.get(Resources.nodes, null, 'n1'), /boom/);
    assert.ok(await k.get(Resources.nodes, null, 'n1'));
    assert.deepEqual(k.calls.filter((c) => c.method === 'get').length, 2);
  });
});
