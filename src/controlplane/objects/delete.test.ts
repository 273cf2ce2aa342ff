import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { apiError, configMap, deployment, makeFixture, pod, refs, type Fixture } from './test-fixture.js';

describe('delete', () => {
  let f: Fixture;
  beforeEach(() => { f = makeFixture(); });
  afterEach(() => f.close());

  test('without finalizers the object goes at once; its last state is returned', () => {
    const cm = f.api.create(refs.configmaps, 'default', configMap('a'));
    const gone = f.api.delete(refs.configmaps, 'default', 'a');
    assert.equal(gone.metadata.uid, cm.metadata.uid);
    assert.equal(gone.kind, 'ConfigMap');
    assert.equal(f.store.get('configmaps', 'default', 'a'), undefined);
    assert.equal(apiError(() => f.api.delete(refs.configmaps, 'default', 'a')).code, 404);
  });

  test('finalizers keep the object terminating until they are removed', () => {
    f.api.create(refs.configmaps, 'default', { metadata: { name: 'a', finalizers: ['example.com/x'] } });
    const marked = f.api.delete(refs.configmaps, 'default', 'a');
    assert.equal(marked.metadata.deletionTimestamp, '2024-05-01T10:00:00Z');
    assert.equal(marked.metadata.generation, 2);
    const again = f.api.delete(refs.configmaps, 'default', 'a');
    assert.equal(again.metadata.resourceVersion, marked.metadata.resourceVersion, 'a second delete changes nothing');
    f.api.patch(refs.configmaps, 'default', 'a', 'merge', { metadata: { finalizers: null } });
    assert.equal(f.store.get('configmaps', 'default', 'a'), undefined);
  });

  test('foreground and orphan propagation add the garbage collector finalizers', () => {
    f.api.create(refs.deployments, 'default', deployment('fg'));
    f.api.create(refs.deployments, 'default', deployment('or'));
    const fg = f.api.delete(refs.deployments, 'default', 'fg', { propagationPolicy: 'Foreground' });
    assert.deepEqual(fg.metadata.finalizers, ['foregroundDeletion']);
    assert.ok(fg.metadata.deletionTimestamp);
    const or = f.api.delete(refs.deployments, 'default', 'or', { propagationPolicy: 'Orphan' });
    assert.deepEqual(or.metadata.finalizers, ['orphan']);
    f.api.create(refs.deployments, 'default', deployment('bg'));
    f.api.delete(refs.deployments, 'default', 'bg', { propagationPolicy: 'Background' });
    assert.equal(f.store.get('apps/deployments', 'default', 'bg'), undefined);
  });

  test('preconditions: uid and resourceVersion mismatches are 409', () => {
    const cm = f.api.create(refs.configmaps, 'default', configMap('a'));
    assert.equal(apiError(() => f.api.delete(refs.configmaps, 'default', 'a', { preconditions: { uid: 'nope' } })).code, 409);
    assert.equal(apiError(() => f.api.delete(refs.configmaps, 'default', 'a', { preconditions: { resourceVersion: '1' } })).code, 409);
    f.api.delete(refs.configmaps, 'default', 'a', { preconditions: { uid: cm.metadata.uid ?? '', resourceVersion: cm.metadata.resourceVersion ?? '' } });
  });

  test('a pod bound to a node is deleted gracefully and stays until grace 0', () => {
    f.api.create(refs.pods, 'default', pod('bound', { nodeName: 'edge-1', grace: 20 }));
    const first = f.api.delete(refs.pods, 'default', 'bound');
    assert.equal(first.metadata.deletionGracePeriodSeconds, 20);
    assert.equal(first.metadata.deletionTimestamp, '2024-05-01T10:00:20Z');
    const shorter = f.api.delete(refs.pods, 'default', 'bound', { gracePeriodSeconds: 5 });
    assert.equal(shorter.metadata.deletionGracePeriodSeconds, 5);
    assert.equal(shorter.metadata.deletionTimestamp, '2024-05-01T10:00:05Z');
    const longer = f.api.delete(refs.pods, 'default', 'bound', { gracePeriodSeconds: 60 });
    assert.equal(longer.metadata.resourceVersion, shorter.metadata.resourceVersion);
    assert.ok(f.store.get('pods', 'default', 'bound'));
    f.api.delete(refs.pods, 'default', 'bound', { gracePeriodSeconds: 0 });
    assert.equal(f.store.get('pods', 'default', 'bound'), undefined);
  });

  test('unbound and finished pods are deleted at once', () => {
    f.api.create(refs.pods, 'default', pod('pending'));
    f.api.delete(refs.pods, 'default', 'pending');
    assert.equal(f.store.get('pods', 'default', 'pending'), undefined);
    f.api.create(refs.pods, 'default', pod('done', { nodeName: 'edge-1' }));
    f.api.patch(refs.pods, 'default', 'done', 'merge', { status: { phase: 'Succeeded' } }, {}, 'status');
    f.api.delete(refs.pods, 'default', 'done');
    assert.equal(f.store.get('pods', 'default', 'done'), undefined);
  });

  test('namespaces: Terminating until finalized; system namespaces cannot be deleted', () => {
    assert.equal(apiError(() => f.api.delete(refs.namespaces, '', 'default')).code, 403);
    f.api.create(refs.namespaces, '', { metadata: { name: 'team' } });
    const ns = f.api.delete(refs.namespaces, '', 'team');
    assert.equal((ns.status as { phase: string }).phase, 'Terminating');
    const again = f.api.delete(refs.namespaces, '', 'team');
    assert.equal(again.metadata.resourceVersion, ns.metadata.resourceVersion);
    f.api.update(refs.namespaces, '', 'team', { metadata: { name: 'team' }, spec: { finalizers: [] } }, {}, 'finalize');
    assert.equal(f.store.get('namespaces', '', 'team'), undefined);
  });

  test('dryRun deletes nothing', () => {
    f.api.create(refs.configmaps, 'default', configMap('a'));
    const answer = f.api.delete(refs.configmaps, 'default', 'a', { dryRun: true });
    assert.equal(answer.metadata.name, 'a');
    assert.ok(f.store.get('configmaps', 'default', 'a'));
  });

  test('deleteCollection deletes what the selector matches', () => {
    f.api.create(refs.configmaps, 'default', configMap('a', {}, { app: 'x' }));
    f.api.create(refs.configmaps, 'default', configMap('b', {}, { app: 'x' }));
    f.api.create(refs.configmaps, 'default', configMap('c', {}, { app: 'y' }));
    const deleted = f.api.deleteCollection(refs.configmaps, { namespace: 'default', labelSelector: 'app=x' });
    assert.equal(deleted.kind, 'ConfigMapList');
    assert.deepEqual(deleted.items.map((i) => i.metadata.name), ['a', 'b']);
    assert.deepEqual(f.store.list('configmaps', 'default').items.map((i) => i.metadata.name), ['c']);
  });
});
