import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { apiError, configMap, makeFixture, pod, refs, type Fixture } from './test-fixture.js';

describe('create', () => {
  let f: Fixture;
  beforeEach(() => { f = makeFixture({ namespaces: ['default', 'doomed'] }); });
  afterEach(() => f.close());

  test('sets uid, creationTimestamp, generation, resourceVersion, apiVersion, kind and managedFields', () => {
    const cm = f.api.create(refs.configmaps, 'default', { metadata: { name: 'a', resourceVersion: '999', selfLink: '/x' }, data: { k: 'v' } },
      { fieldManager: 'kubectl-create' });
    assert.equal(cm.apiVersion, 'v1');
    assert.equal(cm.kind, 'ConfigMap');
    assert.equal(cm.metadata.namespace, 'default');
    assert.match(cm.metadata.uid ?? '', /^uid-\d+$/);
    assert.equal(cm.metadata.creationTimestamp, '2024-05-01T10:00:00Z');
    assert.equal(cm.metadata.generation, 1);
    assert.equal(cm.metadata.resourceVersion, String(f.store.revision()));
    assert.equal(cm.metadata.selfLink, undefined);
    const [entry] = cm.metadata.managedFields as Array<Record<string, unknown>>;
    assert.equal(entry?.manager, 'kubectl-create');
    assert.equal(entry?.operation, 'Update');
    assert.equal(entry?.fieldsType, 'FieldsV1');
    assert.deepEqual((entry?.fieldsV1 as Record<string, unknown>)['f:data'], { '.': {}, 'f:k': {} });
  });

  test('generateName makes a name of the prefix and 5 characters of the Kubernetes alphabet', () => {
    const a = f.api.create(refs.configmaps, 'default', { metadata: { generateName: 'web-' } });
    const b = f.api.create(refs.configmaps, 'default', { metadata: { generateName: 'web-' } });
    assert.match(a.metadata.name ?? '', /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.notEqual(a.metadata.name, b.metadata.name);
  });

  test('a taken name is 409 AlreadyExists', () => {
    f.api.create(refs.configmaps, 'default', configMap('dup'));
    const err = apiError(() => f.api.create(refs.configmaps, 'default', configMap('dup')));
    assert.equal(err.code, 409);
    assert.equal(err.reason, 'AlreadyExists');
    assert.equal(err.message, 'configmaps "dup" already exists');
  });

  test('an invalid name is 422 Invalid and nothing is stored', () => {
    const before = f.store.revision();
    const err = apiError(() => f.api.create(refs.configmaps, 'default', configMap('Bad_Name')));
    assert.equal(err.code, 422);
    assert.match(err.message, /^ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name"/);
    assert.equal(f.store.revision(), before);
  });

  test('a missing namespace is 404 namespaces "x" not found', () => {
    const err = apiError(() => f.api.create(refs.configmaps, 'nowhere', configMap('a')));
    assert.equal(err.code, 404);
    assert.equal(err.message, 'namespaces "nowhere" not found');
  });

  test('a terminating namespace is 403 Forbidden', () => {
    f.api.delete(refs.namespaces, '', 'doomed');
    const ns = f.api.get(refs.namespaces, '', 'doomed');
    assert.equal((ns.status as { phase: string }).phase, 'Terminating');
    const err = apiError(() => f.api.create(refs.configmaps, 'doomed', configMap('late')));
    assert.equal(err.code, 403);
    assert.equal(err.message, 'configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated');
  });

  test('namespace in the body must match the request', () => {
    const err = apiError(() => f.api.create(refs.configmaps, 'default', { metadata: { name: 'a', namespace: 'other' } }));
    assert.equal(err.code, 400);
    assert.equal(err.message, 'the namespace of the provided object does not match the namespace sent on the request');
  });

  test('apiVersion and kind must name the resource', () => {
    const version = apiError(() => f.api.create(refs.configmaps, 'default', { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'a' } }));
    assert.equal(version.code, 400);
    assert.equal(version.message, 'the API version in the data (apps/v1) does not match the expected API version (v1)');
    const kind = apiError(() => f.api.create(refs.configmaps, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'a' } }));
    assert.equal(kind.code, 400);
  });

  test('unknown resources are 404 "the server could not find the requested resource"', () => {
    const err = apiError(() => f.api.create({ group: 'nope.io', resource: 'things' }, 'default', configMap('a')));
    assert.equal(err.code, 404);
    assert.equal(err.message, 'the server could not find the requested resource');
  });

  test('status sent on create is dropped; pods get the strategy status', () => {
    const created = f.api.create(refs.pods, 'default', { ...pod('p'), status: { phase: 'Running', podIP: '1.2.3.4' } });
    assert.equal((created.status as { phase: string }).phase, 'Pending');
    assert.equal((created.status as { podIP?: string }).podIP, undefined);
  });

  test('nodes keep the status they register with', () => {
    const node = f.api.create(refs.nodes, '', { metadata: { name: 'edge-1', namespace: 'ignored' }, status: { capacity: { cpu: '2' } } });
    assert.equal(node.metadata.namespace, undefined);
    assert.deepEqual(node.status, { capacity: { cpu: '2' } });
  });

  test('dryRun answers the would-be object and stores nothing', () => {
    const before = f.store.revision();
    const cm = f.api.create(refs.configmaps, 'default', configMap('dry'), { dryRun: true });
    assert.equal(cm.metadata.name, 'dry');
    assert.ok(cm.metadata.uid);
    assert.equal(f.store.revision(), before);
    assert.equal(f.store.get('configmaps', 'default', 'dry'), undefined);
  });
});
