import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { KubeObject } from '../../api/index.js';
import { apiError, configMap, deployment, makeFixture, refs, type Fixture } from './test-fixture.js';

type Containers = Array<{ name: string; image: string }>;
const containersOf = (d: KubeObject): Containers =>
  ((d.spec as { template: { spec: { containers: Containers } } }).template.spec.containers);

describe('patch', () => {
  let f: Fixture;
  beforeEach(() => { f = makeFixture(); });
  afterEach(() => f.close());

  test('strategic merge patch merges containers by name', () => {
    f.api.create(refs.deployments, 'default', deployment('web'));
    const patched = f.api.patch(refs.deployments, 'default', 'web', 'strategic',
      { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:2' }, { name: 'side', image: 'envoy' }] } } } });
    assert.deepEqual(containersOf(patched).map((c) => `${c.name}=${c.image}`), ['app=nginx:2', 'side=envoy']);
    assert.equal(patched.metadata.generation, 2);
  });

  test('merge patch and json patch', () => {
    f.api.create(refs.configmaps, 'default', configMap('a', { x: '1', y: '2' }));
    const merged = f.api.patch(refs.configmaps, 'default', 'a', 'merge', { data: { x: null, z: '3' } });
    assert.deepEqual(merged.data, { y: '2', z: '3' });
    const jsonPatched = f.api.patch(refs.configmaps, 'default', 'a', 'json', JSON.stringify([{ op: 'add', path: '/data/w', value: '4' }]));
    assert.deepEqual(jsonPatched.data, { y: '2', z: '3', w: '4' });
  });

  test('a resourceVersion in the patch is a precondition', () => {
    const cm = f.api.create(refs.configmaps, 'default', configMap('a'));
    f.api.patch(refs.configmaps, 'default', 'a', 'merge', { data: { k: 'v' } });
    const err = apiError(() => f.api.patch(refs.configmaps, 'default', 'a', 'merge',
      { metadata: { resourceVersion: cm.metadata.resourceVersion }, data: { k: 'w' } }));
    assert.equal(err.code, 409);
  });

  test('patching a missing object is 404; renaming through a patch is 400', () => {
    assert.equal(apiError(() => f.api.patch(refs.configmaps, 'default', 'ghost', 'merge', { data: {} })).code, 404);
    f.api.create(refs.configmaps, 'default', configMap('a'));
    assert.equal(apiError(() => f.api.patch(refs.configmaps, 'default', 'a', 'merge', { metadata: { name: 'b' } })).code, 400);
  });

  test('server-side apply creates, then updates, and records an Apply manager', () => {
    const applied = f.api.patch(refs.configmaps, 'default', 'cfg', 'apply',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "1"\n', { fieldManager: 'kubectl' });
    assert.deepEqual(applied.data, { a: '1' });
    assert.ok(applied.metadata.uid);
    const managers = (applied.metadata.managedFields as Array<{ manager: string; operation: string }>).map((m) => `${m.manager}/${m.operation}`);
    assert.deepEqual(managers, ['kubectl/Apply']);
    const again = f.api.patch(refs.configmaps, 'default', 'cfg', 'apply',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '2' } }, { fieldManager: 'kubectl' });
    assert.deepEqual(again.data, { a: '2' });
    const same = f.api.patch(refs.configmaps, 'default', 'cfg', 'apply',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '2' } }, { fieldManager: 'kubectl' });
    assert.equal(same.metadata.resourceVersion, again.metadata.resourceVersion, 'an unchanged apply writes nothing');
    const conflict = apiError(() => f.api.patch(refs.configmaps, 'default', 'cfg', 'apply',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '3' } }, { fieldManager: 'other' }));
    assert.equal(conflict.code, 409);
    assert.equal(apiError(() => f.api.patch(refs.configmaps, 'default', 'cfg', 'apply', { metadata: { name: 'cfg' } })).code, 422);
  });

  test('status patches change only status', () => {
    f.api.create(refs.deployments, 'default', deployment('web'));
    const patched = f.api.patch(refs.deployments, 'default', 'web', 'merge', { spec: { replicas: 7 }, status: { readyReplicas: 1 } }, {}, 'status');
    assert.deepEqual(patched.status, { readyReplicas: 1 });
    assert.equal((patched.spec as { replicas: number }).replicas, 1);
  });

  test('strategic merge patch on a custom resource is 415', () => {
    f.api.create(refs.crds, '', {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    const widgets = { group: 'example.com', resource: 'widgets' };
    f.api.create(widgets, 'default', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    assert.equal(apiError(() => f.api.patch(widgets, 'default', 'w', 'strategic', { spec: { a: 1 } })).code, 415);
    const merged = f.api.patch(widgets, 'default', 'w', 'merge', { spec: { a: 1 } });
    assert.deepEqual(merged.spec, { a: 1 });
  });
});
