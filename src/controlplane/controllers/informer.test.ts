import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeList, KubeObject } from '../../api/index.js';
import { createSilentLogger } from '../../core/log/index.js';
import type { ApiWatchEvent, ObjectAPI } from '../objects/index.js';
import { makeControllerHarness, testRefs, waitFor, type ControllerHarness } from '../../testing/controller-harness.js';
import { Informer } from './informer.js';

const pod = (name: string, extra: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...extra }, spec: { containers: [{ name: 'c', image: 'x:1' }] } });

describe('informer over the object API', () => {
  let h: ControllerHarness;
  let ac: AbortController;
  beforeEach(() => { h = makeControllerHarness(); ac = new AbortController(); });
  afterEach(async () => { ac.abort(); await h.close(); });

  test('lists, then follows the watch with handlers and indexes', async () => {
    h.api.create(testRefs.pods, 'default', pod('early'));
    const informer = new Informer({ api: h.api, ref: testRefs.pods, log: createSilentLogger() });
    const seen: string[] = [];
    informer.addHandlers({
      add: (o) => seen.push(`add ${o.metadata.name ?? ''}`),
      update: (_o, n) => seen.push(`update ${n.metadata.name ?? ''}`),
      delete: (o) => seen.push(`delete ${o.metadata.name ?? ''}`),
    });
    informer.start(ac.signal);
    await informer.synced;
    assert.equal(informer.get('default', 'early')?.kind, 'Pod');
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-uid', controller: true };
    h.api.create(testRefs.pods, 'default', pod('late', { ownerReferences: [owner] }));
    h.api.bind('default', 'early', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'early' }, target: { kind: 'Node', name: 'n1' } });
    h.api.delete(testRefs.pods, 'default', 'late');
    await waitFor(() => seen.includes('delete late'), 'events');
    // A deletion may first store the deletion mark (an update), as kube-apiserver does.
    assert.deepEqual(seen.filter((s) => s !== 'update late'), ['add early', 'add late', 'update early', 'delete late']);
    assert.deepEqual(informer.byNode('n1').map((p) => p.metadata.name), ['early']);
    assert.deepEqual(informer.byOwner('rs-uid'), []);
    assert.equal(informer.getByUid(informer.get('default', 'early')?.metadata.uid ?? '')?.metadata.name, 'early');
  });

  test('our own writes land in the cache at once, and older copies never win', async () => {
    const informer = new Informer({ api: h.api, ref: testRefs.pods, log: createSilentLogger() });
    informer.start(ac.signal);
    await informer.synced;
    const v1 = h.api.create(testRefs.pods, 'default', pod('p'));
    const v2 = h.api.patch(testRefs.pods, 'default', 'p', 'merge', { metadata: { labels: { v: '2' } } });
    informer.observe(v2);
    informer.observe(v1);
    assert.equal(informer.get('default', 'p')?.metadata.labels?.v, '2');
    const gone = h.api.delete(testRefs.pods, 'default', 'p');
    informer.observeDeleted(gone);
    informer.observe(v2);
    assert.equal(informer.get('default', 'p'), undefined);
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(informer.get('default', 'p'), undefined);
  });
});

describe('informer relist', () => {
  test('an ERROR event makes it list again and report the difference', async () => {
    let items: KubeObject[] = [pod('a', { namespace: 'ns', resourceVersion: '1' }), pod('b', { namespace: 'ns', resourceVersion: '2' })];
    let emit: (ev: ApiWatchEvent) => void = () => undefined;
    let lists = 0;
    // Only list and watch are used by an informer; the real object API never sends ERROR on demand.
    const api = {
      list: (): KubeList => { lists++; return { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: String(lists * 10) }, items }; },
      watch: (_r: unknown, _o: unknown, cb: (ev: ApiWatchEvent) => void) => { emit = cb; return { stop: () => undefined }; },
    } as unknown as ObjectAPI;
    const ac = new AbortController();
    const informer = new Informer({ api, ref: testRefs.pods, log: createSilentLogger(), relistDelayMs: 1 });
    const seen: string[] = [];
    informer.addHandlers({ add: (o) => seen.push(`add ${o.metadata.name ?? ''}`), delete: (o) => seen.push(`delete ${o.metadata.name ?? ''}`),
      update: (_o, n) => seen.push(`update ${n.metadata.name ?? ''}`) });
    informer.start(ac.signal);
    await informer.synced;
    items = [pod('b', { namespace: 'ns', resourceVersion: '5' }), pod('c', { namespace: 'ns', resourceVersion: '6' })];
    emit({ type: 'ERROR', object: { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', code: 410 } });
    await waitFor(() => lists === 2 && seen.length === 5, 'relist');
    ac.abort();
    assert.deepEqual(seen, ['add a', 'add b', 'update b', 'add c', 'delete a']);
  });
});
