import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createSilentLogger } from '../../core/index.js';
import { FakeLocalPodStatus, FakeMetaStore } from '../../testing/fake-meta-store.js';
import { ApiError } from './api-error.js';
import { ChangeFeed, type FeedEntry } from './change-feed.js';
import { servedResources, type ResourceInfo } from './resources.js';
import { compileSelection } from './selection.js';
import { watchEventFor } from './watch-events.js';
import type { MetaStoreChange } from './types.js';

const resources = servedResources();
const pods = resources.find((r) => r.type === 'pod') as ResourceInfo;
const cms = resources.find((r) => r.type === 'configmap') as ResourceInfo;
const pod = (name: string, rv: string, labels: Record<string, string> = {}, phase = 'Pending') =>
  ({ metadata: { name, namespace: 'default', resourceVersion: rv, labels }, spec: { nodeName: 'edge-1' }, status: { phase, hostIP: '10.0.0.5' } });

async function feedWith(history = 10) {
  const store = new FakeMetaStore();
  const local = new FakeLocalPodStatus();
  store.put('pod', pod('a', '10'));
  store.put('configmap', { metadata: { name: 'c', namespace: 'default', resourceVersion: '12' } });
  const feed = new ChangeFeed({ store, localPodStatus: local, resources, history, log: createSilentLogger() });
  await feed.start();
  return { store, local, feed };
}

describe('ChangeFeed', () => {
  test('seeds its resourceVersion with the store maximum; store changes take theirs, others count on', async () => {
    const { store, local, feed } = await feedWith();
    assert.equal(feed.resourceVersion, 12n);
    const seen: FeedEntry[] = [];
    feed.subscribe(pods, undefined, (e) => seen.push(e));
    store.put('pod', pod('b', '40'));
    local.set('default', 'b', { phase: 'Running' });
    store.put('pod', pod('b', '41'));
    store.remove('pod', 'default', 'a');
    store.put('configmap', { metadata: { name: 'c', namespace: 'default', resourceVersion: '50' } });
    assert.deepEqual(seen.map((e) => `${e.op} ${e.name} ${e.rv}`), ['upsert b 40', 'upsert b 41', 'upsert b 42', 'delete a 43']);
    assert.equal(feed.resourceVersion, 50n);
    // the local status lies over every later copy of the pod
    assert.equal((seen[2]?.object.status as { phase: string }).phase, 'Running');
    assert.equal((seen[2]?.object.status as { hostIP: string }).hostIP, '10.0.0.5');
    assert.equal(seen[1]?.object.metadata.resourceVersion, '40', 'objects keep their own resourceVersion');
  });

  test('resumes from the ring; older or unknown versions are Expired', async () => {
    const { store, feed } = await feedWith(3);
    for (let i = 0; i < 5; i++) store.put('pod', pod(`p${i}`, String(20 + i)));
    // ring holds 22, 23, 24: resume works from 21 on
    const r = feed.subscribe(pods, 22n, () => {});
    assert.deepEqual(r.backlog.map((e) => e.name), ['p3', 'p4']);
    r.stop();
    assert.deepEqual(feed.subscribe(pods, 21n, () => {}).backlog.map((e) => e.name), ['p2', 'p3', 'p4']);
    assert.deepEqual(feed.subscribe(cms, 21n, () => {}).backlog, []);
    assert.throws(() => feed.subscribe(pods, 20n, () => {}), (e: unknown) => e instanceof ApiError && e.code === 410 && e.reason === 'Expired');
    assert.throws(() => feed.subscribe(pods, 99n, () => {}), (e: unknown) => e instanceof ApiError && e.code === 410);
  });

  test('a delete without a readable object still reaches watchers', async () => {
    const { feed } = await feedWith();
    const seen: FeedEntry[] = [];
    let emit: ((c: MetaStoreChange) => void) | undefined;
    const store = { get: () => undefined, list: () => [], onChange: (l: (c: MetaStoreChange) => void) => { emit = l; return () => {}; } };
    const f2 = new ChangeFeed({ store, resources, history: 4, log: createSilentLogger() });
    await f2.start();
    f2.subscribe(pods, undefined, (e) => seen.push(e));
    emit?.({ op: 'delete', type: 'pod', namespace: 'default', name: 'gone', object: {} });
    emit?.({ op: 'upsert', type: 'podstatus', namespace: 'default', name: 'x', object: { metadata: { name: 'x' } } });
    assert.deepEqual(seen.map((e) => `${e.op} ${e.object.metadata.namespace}/${e.object.metadata.name}`), ['delete default/gone']);
    feed.close();
    f2.close();
  });

  test('close lets go of the store and the local status source', async () => {
    const { store, local, feed } = await feedWith();
    feed.subscribe(pods, undefined, () => {});
    assert.equal(store.listenerCount, 1);
    assert.equal(local.listenerCount, 1);
    feed.close();
    assert.equal(store.listenerCount, 0);
    assert.equal(local.listenerCount, 0);
    assert.equal(feed.listenerCount, 0);
  });
});

describe('watchEventFor', () => {
  test('entering, staying in and leaving a selection; deletes; namespaces', async () => {
    const { store, local, feed } = await feedWith();
    const seen: FeedEntry[] = [];
    feed.subscribe(pods, undefined, (e) => seen.push(e));
    const web = compileSelection(pods, { labelSelector: 'app=web', fieldSelector: '' });
    const running = compileSelection(pods, { labelSelector: '', fieldSelector: 'status.phase=Running' });
    store.put('pod', pod('x', '30', { app: 'db' }));
    store.put('pod', pod('x', '31', { app: 'web' }));
    store.put('pod', pod('x', '32', { app: 'web', v: '2' }));
    local.set('default', 'x', { phase: 'Running' });
    store.put('pod', pod('x', '33', { app: 'db' }));
    store.remove('pod', 'default', 'x');
    assert.deepEqual(seen.map((e) => watchEventFor(e, web, null) ?? '-'), ['-', 'ADDED', 'MODIFIED', 'MODIFIED', 'DELETED', '-']);
    assert.deepEqual(seen.map((e) => watchEventFor(e, running, null) ?? '-'), ['-', '-', '-', 'ADDED', 'MODIFIED', 'DELETED']);
    const all = compileSelection(pods, { labelSelector: '', fieldSelector: '' });
    assert.deepEqual(seen.map((e) => watchEventFor(e, all, 'other') ?? '-'), ['-', '-', '-', '-', '-', '-']);
    assert.deepEqual(seen.map((e) => watchEventFor(e, all, 'default') ?? '-'), ['ADDED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'DELETED']);
  });
});
