import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { apiError, configMap, makeFixture, pod, refs, type Fixture } from './test-fixture.js';

describe('list', () => {
  let f: Fixture;
  beforeEach(() => {
    f = makeFixture({ namespaces: ['default', 'other'] });
    for (const [ns, name, app] of [['default', 'a', 'web'], ['default', 'b', 'db'], ['default', 'c', 'web'], ['other', 'd', 'web']] as const) {
      f.api.create(refs.configmaps, ns, configMap(name, {}, { app }));
    }
  });
  afterEach(() => f.close());

  test('answers <Kind>List with the store revision and typed items', () => {
    const list = f.api.list(refs.configmaps, { namespace: 'default' });
    assert.equal(list.kind, 'ConfigMapList');
    assert.equal(list.apiVersion, 'v1');
    assert.equal(list.metadata.resourceVersion, String(f.store.revision()));
    assert.deepEqual(list.items.map((i) => `${i.kind}/${i.metadata.name}`), ['ConfigMap/a', 'ConfigMap/b', 'ConfigMap/c']);
  });

  test('label and field selectors', () => {
    assert.deepEqual(f.api.list(refs.configmaps, { labelSelector: 'app=web' }).items.map((i) => i.metadata.name), ['a', 'c', 'd']);
    assert.deepEqual(f.api.list(refs.configmaps, { labelSelector: 'app in (db)', fieldSelector: 'metadata.namespace=default' })
      .items.map((i) => i.metadata.name), ['b']);
    f.api.create(refs.pods, 'default', pod('p1', { nodeName: 'edge-1' }));
    f.api.create(refs.pods, 'default', pod('p2'));
    assert.deepEqual(f.api.list(refs.pods, { fieldSelector: 'spec.nodeName=edge-1' }).items.map((i) => i.metadata.name), ['p1']);
    assert.equal(apiError(() => f.api.list(refs.configmaps, { fieldSelector: 'spec.nope=1' })).code, 400);
  });

  test('limit and continue page through in order, keeping the first page revision', () => {
    const first = f.api.list(refs.configmaps, { limit: 2 });
    assert.deepEqual(first.items.map((i) => i.metadata.name), ['a', 'b']);
    assert.equal(first.metadata.remainingItemCount, 2);
    assert.ok(first.metadata.continue);
    f.api.create(refs.configmaps, 'default', configMap('bb'));
    const second = f.api.list(refs.configmaps, { limit: 2, continue: first.metadata.continue });
    assert.deepEqual(second.items.map((i) => i.metadata.name), ['bb', 'c']);
    assert.equal(second.metadata.resourceVersion, first.metadata.resourceVersion);
    const third = f.api.list(refs.configmaps, { limit: 2, continue: second.metadata.continue });
    assert.deepEqual(third.items.map((i) => i.metadata.name), ['d']);
    assert.equal(third.metadata.continue, undefined);
    const filtered = f.api.list(refs.configmaps, { limit: 2, labelSelector: 'app=web' });
    assert.deepEqual(filtered.items.map((i) => i.metadata.name), ['a', 'c']);
    assert.equal(filtered.metadata.remainingItemCount, undefined);
    assert.ok(filtered.metadata.continue);
    assert.equal(apiError(() => f.api.list(refs.configmaps, { continue: 'garbage' })).code, 400);
  });
});
