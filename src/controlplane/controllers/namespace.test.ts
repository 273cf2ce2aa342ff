import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeControllerHarness, testRefs, waitFor, type ControllerHarness } from '../../testing/controller-harness.js';

const widgets = { group: 'example.com', resource: 'widgets' };

describe('namespace controller', () => {
  let h: ControllerHarness;
  beforeEach(() => { h = makeControllerHarness(); });
  afterEach(async () => { await h.close(); });

  test('empties a terminating namespace, then it disappears', async () => {
    h.api.create(testRefs.namespaces, '', { metadata: { name: 'team' } });
    h.api.create(testRefs.configmaps, 'team', { metadata: { name: 'cfg' }, data: { a: 'b' } });
    h.api.create(testRefs.pods, 'team', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x:1' }] } });
    h.api.create(testRefs.deployments, 'team', {
      metadata: { name: 'd' },
      spec: { replicas: 1, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } } },
    });
    h.api.create(testRefs.configmaps, 'default', { metadata: { name: 'other' }, data: {} });
    h.api.create({ group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' }, '', {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    h.api.create(widgets, 'team', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {} });
    await h.start(['namespace', 'garbagecollector', 'deployment', 'replicaset']);
    const marked = h.api.delete(testRefs.namespaces, '', 'team');
    assert.ok(marked.metadata.deletionTimestamp);
    await waitFor(() => !h.tryGet(testRefs.namespaces, '', 'team'), 'namespace removed');
    assert.equal(h.store.count('configmaps', 'team'), 0);
    assert.equal(h.store.count('pods', 'team'), 0);
    assert.equal(h.store.count('apps/deployments', 'team'), 0);
    assert.equal(h.store.count('example.com/widgets', 'team'), 0);
    assert.ok(h.tryGet(testRefs.configmaps, 'default', 'other'), 'other namespaces are untouched');
  });

  test('waits for objects held by finalizers', async () => {
    h.api.create(testRefs.namespaces, '', { metadata: { name: 'held' } });
    h.api.create(testRefs.configmaps, 'held', { metadata: { name: 'cfg', finalizers: ['example.com/hold'] }, data: {} });
    await h.start(['namespace']);
    h.api.delete(testRefs.namespaces, '', 'held');
    await waitFor(() => h.tryGet(testRefs.configmaps, 'held', 'cfg')?.metadata.deletionTimestamp, 'content marked for deletion');
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(h.tryGet(testRefs.namespaces, '', 'held'), 'still terminating while content remains');
    const cfg = h.api.get(testRefs.configmaps, 'held', 'cfg');
    h.api.update(testRefs.configmaps, 'held', 'cfg', { ...cfg, metadata: { ...cfg.metadata, finalizers: [] } });
    await waitFor(() => !h.tryGet(testRefs.namespaces, '', 'held'), 'namespace removed after the finalizer is released');
  });
});
