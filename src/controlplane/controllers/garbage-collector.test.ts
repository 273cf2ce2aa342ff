import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, OwnerReference } from '../../api/index.js';
import { makeControllerHarness, testRefs, waitFor, type ControllerHarness } from '../../testing/controller-harness.js';

function configMap(name: string, owners: OwnerReference[] = []): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(owners.length ? { ownerReferences: owners } : {}) }, data: { k: 'v' } };
}

function ownedBy(owner: KubeObject, block = true): OwnerReference {
  return { apiVersion: owner.apiVersion ?? 'v1', kind: owner.kind ?? 'ConfigMap', name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', blockOwnerDeletion: block };
}

const exists = (h: ControllerHarness, name: string): boolean => h.tryGet(testRefs.configmaps, 'default', name) !== undefined;

describe('garbage collector', () => {
  let h: ControllerHarness;
  beforeEach(() => { h = makeControllerHarness(); });
  afterEach(async () => { await h.close(); });

  test('background: dependents of a deleted owner are deleted', async () => {
    await h.start(['garbagecollector']);
    const parent = h.api.create(testRefs.configmaps, 'default', configMap('parent'));
    h.api.create(testRefs.configmaps, 'default', configMap('child', [ownedBy(parent)]));
    h.api.create(testRefs.configmaps, 'default', configMap('grandchild', [ownedBy(h.api.get(testRefs.configmaps, 'default', 'child'))]));
    h.api.delete(testRefs.configmaps, 'default', 'parent');
    await waitFor(() => !exists(h, 'child') && !exists(h, 'grandchild'), 'cascade');
  });

  test('deletes objects whose owners are already gone at start, keeps those with a live owner', async () => {
    const alive = h.api.create(testRefs.configmaps, 'default', configMap('alive'));
    h.api.create(testRefs.configmaps, 'default', configMap('stray', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'no-such-uid' }]));
    h.api.create(testRefs.configmaps, 'default', configMap('mixed', [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'no-such-uid' }, ownedBy(alive)]));
    h.api.create(testRefs.configmaps, 'default', configMap('kept', [ownedBy(alive)]));
    h.api.create(testRefs.configmaps, 'default', configMap('foreign', [{ apiVersion: 'example.com/v1', kind: 'Unknown', name: 'x', uid: 'u' }]));
    await h.start(['garbagecollector']);
    await waitFor(() => !exists(h, 'stray'), 'stray deleted');
    await waitFor(() => h.api.get(testRefs.configmaps, 'default', 'mixed').metadata.ownerReferences?.length === 1, 'dangling ref removed');
    assert.equal(h.api.get(testRefs.configmaps, 'default', 'mixed').metadata.ownerReferences?.[0]?.uid, alive.metadata.uid);
    assert.ok(exists(h, 'kept'));
    assert.ok(exists(h, 'foreign'), 'owners of kinds we cannot resolve never cause a deletion');
  });

  test('foreground: dependents go first, then the owner', async () => {
    await h.start(['garbagecollector']);
    const parent = h.api.create(testRefs.configmaps, 'default', configMap('parent'));
    h.api.create(testRefs.configmaps, 'default', configMap('a', [ownedBy(parent)]));
    h.api.create(testRefs.configmaps, 'default', configMap('b', [ownedBy(parent, false)]));
    const order: string[] = [];
    const watch = h.api.watch(testRefs.configmaps, { namespace: 'default' }, (ev) => {
      if (ev.type === 'DELETED') order.push((ev.object as KubeObject).metadata.name ?? '');
    });
    const marked = h.api.delete(testRefs.configmaps, 'default', 'parent', { propagationPolicy: 'Foreground' });
    assert.ok(marked.metadata.finalizers?.includes('foregroundDeletion'));
    await waitFor(() => !exists(h, 'parent'), 'owner removed');
    watch.stop();
    assert.ok(!exists(h, 'a') && !exists(h, 'b'));
    assert.equal(order.at(-1), 'parent');
  });

  test('orphan: dependents lose the reference and stay', async () => {
    await h.start(['garbagecollector']);
    const parent = h.api.create(testRefs.configmaps, 'default', configMap('parent'));
    h.api.create(testRefs.configmaps, 'default', configMap('child', [ownedBy(parent)]));
    h.api.delete(testRefs.configmaps, 'default', 'parent', { propagationPolicy: 'Orphan' });
    await waitFor(() => !exists(h, 'parent'), 'owner removed');
    assert.deepEqual(h.api.get(testRefs.configmaps, 'default', 'child').metadata.ownerReferences ?? [], []);
  });

  test('foreground deletion of a Deployment removes its ReplicaSet and pods first', async () => {
    await h.start(['garbagecollector', 'deployment', 'replicaset']);
    h.api.create(testRefs.deployments, 'default', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
    });
    await waitFor(() => h.list(testRefs.pods, 'default').length === 2, 'pods');
    h.api.delete(testRefs.deployments, 'default', 'web', { propagationPolicy: 'Foreground' });
    await waitFor(() => !h.tryGet(testRefs.deployments, 'default', 'web'), 'deployment gone');
    assert.equal(h.list(testRefs.replicasets, 'default').length, 0);
    assert.equal(h.list(testRefs.pods, 'default').length, 0);
  });

  test('custom resources of a CRD take part as owners and dependents', async () => {
    await h.start(['garbagecollector']);
    const widgets = { group: 'example.com', resource: 'widgets' };
    h.api.create({ group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' }, '', {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    const owner = h.api.create(widgets, 'default', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {} });
    h.api.create(testRefs.configmaps, 'default', configMap('of-widget', [ownedBy(owner)]));
    const cm = h.api.create(testRefs.configmaps, 'default', configMap('cm'));
    h.api.create(widgets, 'default', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'of-cm', ownerReferences: [ownedBy(cm)] }, spec: {} });
    await new Promise((r) => setTimeout(r, 20));
    assert.ok(exists(h, 'of-widget'), 'a live custom owner keeps its dependent');
    h.api.delete(widgets, 'default', 'w');
    h.api.delete(testRefs.configmaps, 'default', 'cm');
    await waitFor(() => !exists(h, 'of-widget'), 'dependent of the widget deleted');
    await waitFor(() => !h.tryGet(widgets, 'default', 'of-cm'), 'widget owned by the config map deleted');
  });
});
