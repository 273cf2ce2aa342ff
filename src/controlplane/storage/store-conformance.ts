// The behaviour every Store implementation must show, as one suite run against each of them
// (a SQLite file and ':memory:' today). Imported only by tests.
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { describe, test } from 'node:test';
import { assertApiError, collect, node, pod, rv, type StoreFactory } from './conformance-fixtures.js';
import { describeWatchConformance } from './watch-conformance.js';

export type { StoreFactory } from './conformance-fixtures.js';

export function describeStoreConformance(name: string, open: StoreFactory): void {
  describe(`Store conformance: ${name}`, () => {
    describeCrud(open);
    describeErrors(open);
    describeTransactions(open);
    describeWatchConformance(open);
  });
}

function describeCrud(open: StoreFactory): void {
  test('create, get, update, delete with resourceVersions', () => {
    const store = open();
    assert.equal(store.revision(), 0);
    const created = store.create('pods', pod('a'));
    assert.equal(created.metadata.resourceVersion, '1');
    assert.deepEqual(store.get('pods', 'default', 'a'), created);
    const updated = store.update('pods', { ...created, spec: { nodeName: 'n2' } });
    assert.equal(updated.metadata.resourceVersion, '2');
    assert.deepEqual(store.get('pods', 'default', 'a')?.spec, { nodeName: 'n2' });
    const deleted = store.delete('pods', 'default', 'a');
    assert.equal(deleted.metadata.resourceVersion, '3');
    assert.deepEqual(deleted.spec, { nodeName: 'n2' });
    assert.equal(store.get('pods', 'default', 'a'), undefined);
    assert.equal(store.revision(), 3);
    store.close();
  });

  test('never mutates the caller object and returns fresh copies', () => {
    const store = open();
    const input = pod('a');
    const created = store.create('pods', input);
    assert.equal(input.metadata.resourceVersion, undefined);
    (created.spec as Record<string, unknown>).nodeName = 'changed';
    (store.get('pods', 'default', 'a')?.metadata.labels ?? {}).app = 'changed';
    store.list('pods').items[0]!.metadata.name = 'changed';
    const again = store.get('pods', 'default', 'a');
    assert.deepEqual(again?.spec, { nodeName: 'n1' });
    assert.deepEqual(again?.metadata.labels, { app: 'web' });
    assert.equal(again?.metadata.name, 'a');
    store.close();
  });

  test('list sorts by namespace then name, filters by namespace, and reports the revision', () => {
    const store = open();
    for (const [ns, n] of [['b', 'z'], ['a', 'y'], ['b', 'a'], ['a', 'x']] as const) store.create('pods', pod(n, ns));
    store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'a' } });
    const all = store.list('pods');
    assert.deepEqual(all.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`), ['a/x', 'a/y', 'b/a', 'b/z']);
    assert.equal(all.revision, 5);
    assert.deepEqual(store.list('pods', 'b').items.map((o) => o.metadata.name), ['a', 'z']);
    assert.deepEqual(store.list('pods', '').items.length, 4);
    assert.deepEqual(store.list('pods', 'none').items, []);
    assert.deepEqual(store.list('services').items, []);
    assert.equal(store.count('pods'), 4);
    assert.equal(store.count('pods', 'a'), 2);
    assert.equal(store.count('configmaps'), 1);
    assert.equal(store.count('services'), 0);
    store.close();
  });

  test('a label prefilter keeps only matching objects, in order, with or without a namespace', () => {
    const store = open();
    const labelled = (name: string, ns: string, labels?: Record<string, string>): KubeObject =>
      ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, ...(labels ? { labels } : {}) } });
    store.create('pods', labelled('p1', 'a', { tier: 'web' }));
    store.create('pods', labelled('p2', 'a', { tier: 'db' }));
    store.create('pods', labelled('p3', 'b', { tier: 'web' }));
    store.create('pods', labelled('p4', 'b'));
    const seen: (Record<string, string> | undefined)[] = [];
    const web = store.list('pods', undefined, { labels: (l) => { seen.push(l); return l?.['tier'] === 'web'; } });
    assert.deepEqual(web.items.map((o) => o.metadata.name), ['p1', 'p3']);
    assert.equal(seen.length, 4);
    assert.deepEqual(seen[3], undefined);
    assert.deepEqual(store.list('pods', 'b', { labels: (l) => l === undefined }).items.map((o) => o.metadata.name), ['p4']);
    assert.equal(web.revision, 4);
    store.close();
  });

  test('cluster-scoped objects use the empty namespace', () => {
    const store = open();
    store.create('nodes', node('n2'));
    store.create('nodes', { ...node('n1'), metadata: { name: 'n1', namespace: '' } });
    assert.deepEqual(store.list('nodes').items.map((o) => o.metadata.name), ['n1', 'n2']);
    assert.equal(store.get('nodes', '', 'n1')?.metadata.name, 'n1');
    store.update('nodes', { ...node('n1'), status: { phase: 'Running' } });
    assert.equal(store.delete('nodes', '', 'n2').metadata.name, 'n2');
    assert.equal(store.count('nodes'), 1);
    store.close();
  });

  test('one global monotonic revision across resources, deletes included', () => {
    const store = open();
    const revs = [
      rv(store.create('pods', pod('a'))),
      rv(store.create('nodes', node('n'))),
      rv(store.create('apps/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' } })),
      rv(store.delete('pods', 'default', 'a')),
      rv(store.create('pods', pod('a'))),
      rv(store.update('nodes', node('n'))),
    ];
    assert.deepEqual(revs, [1, 2, 3, 4, 5, 6]);
    assert.equal(store.revision(), 6);
    store.close();
  });
}

function describeErrors(open: StoreFactory): void {
  test('AlreadyExists, NotFound and Conflict with Kubernetes messages', () => {
    const store = open();
    const created = store.create('pods', pod('a'));
    store.create('apps/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'x' } });
    assertApiError(() => store.create('pods', pod('a')), 409, 'AlreadyExists', 'pods "a" already exists');
    assertApiError(() => store.create('apps/deployments', { metadata: { name: 'd', namespace: 'x' } }), 409, 'AlreadyExists',
      'deployments.apps "d" already exists');
    assertApiError(() => store.update('pods', pod('missing')), 404, 'NotFound', 'pods "missing" not found');
    assertApiError(() => store.delete('apps/deployments', 'x', 'nope'), 404, 'NotFound', 'deployments.apps "nope" not found');
    assertApiError(() => store.delete('pods', 'default', 'missing', 1), 404, 'NotFound');
    const stale = 'Operation cannot be fulfilled on pods "a": the object has been modified; ' +
      'please apply your changes to the latest version and try again';
    const current = store.update('pods', created, rv(created));
    assertApiError(() => store.update('pods', created, rv(created)), 409, 'Conflict', stale);
    assertApiError(() => store.delete('pods', 'default', 'a', rv(created)), 409, 'Conflict', stale);
    assert.equal(rv(store.update('pods', current, rv(current))), 4);
    assert.equal(rv(store.delete('pods', 'default', 'a', 4)), 5);
    assert.equal(store.revision(), 5, 'failed writes consume no revision');
    store.close();
  });

  test('bad keys are rejected before anything is written', () => {
    const store = open();
    assertApiError(() => store.create('pods', { metadata: {} }), 400, 'BadRequest');
    assertApiError(() => store.create('*', pod('a')), 400, 'BadRequest');
    assertApiError(() => store.update('pods', pod('a'), -1), 400, 'BadRequest');
    assert.equal(store.revision(), 0);
    store.close();
  });
}

function describeTransactions(open: StoreFactory): void {
  test('a throwing transaction stores nothing, delivers nothing, keeps the revision', () => {
    const store = open();
    store.create('pods', pod('keep'));
    const w = collect(store, '*', { fromRevision: 1 });
    assert.throws(() => store.transaction(() => {
      store.create('pods', pod('a'));
      store.update('pods', pod('keep'));
      store.delete('pods', 'default', 'keep');
      throw new Error('boom');
    }), /boom/);
    assert.equal(store.revision(), 1);
    assert.equal(store.get('pods', 'default', 'a'), undefined);
    assert.equal(rv(store.get('pods', 'default', 'keep')), 1);
    assert.deepEqual(w.events, []);
    assert.equal(rv(store.create('pods', pod('b'))), 2, 'the revision counter did not advance');
    store.close();
  });

  test('a committed transaction delivers its events after commit, in order', () => {
    const store = open();
    const w = collect(store, 'pods');
    const result = store.transaction(() => {
      store.create('pods', pod('a'));
      store.create('pods', pod('b'));
      store.update('pods', pod('a'));
      assert.equal(w.events.length, 0, 'nothing delivered before commit');
      return 'done';
    });
    assert.equal(result, 'done');
    assert.deepEqual(w.summary(), ['ADDED pods a 1', 'ADDED pods b 2', 'MODIFIED pods a 3']);
    store.close();
  });

  test('a failed nested transaction rolls back alone; revisions stay contiguous', () => {
    const store = open();
    const w = collect(store, 'pods');
    store.transaction(() => {
      store.create('pods', pod('a'));
      assert.throws(() => store.transaction(() => {
        store.create('pods', pod('inner'));
        throw new Error('inner');
      }), /inner/);
      assertApiError(() => store.create('pods', pod('a')), 409, 'AlreadyExists');
      store.create('pods', pod('b'));
    });
    assert.deepEqual(w.summary(), ['ADDED pods a 1', 'ADDED pods b 2']);
    assert.equal(store.get('pods', 'default', 'inner'), undefined);
    assert.equal(store.revision(), 2);
    store.close();
  });
}
