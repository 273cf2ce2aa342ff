import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { KubeObject } from '../../api/index.js';
import { apiError, configMap, deployment, makeFixture, pod, refs, type Fixture } from './test-fixture.js';

describe('update', () => {
  let f: Fixture;
  beforeEach(() => { f = makeFixture(); });
  afterEach(() => f.close());

  test('a stale resourceVersion is 409 Conflict; an empty one updates unconditionally', () => {
    const cm = f.api.create(refs.configmaps, 'default', configMap('a', { k: '1' }));
    const first = f.api.update(refs.configmaps, 'default', 'a', { ...cm, data: { k: '2' } });
    const err = apiError(() => f.api.update(refs.configmaps, 'default', 'a', { ...cm, data: { k: '3' } }));
    assert.equal(err.code, 409);
    assert.equal(err.message, 'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again');
    const forced = f.api.update(refs.configmaps, 'default', 'a', { metadata: { name: 'a' }, data: { k: '4' } });
    assert.deepEqual(forced.data, { k: '4' });
    assert.ok(Number(forced.metadata.resourceVersion) > Number(first.metadata.resourceVersion));
    assert.equal(forced.metadata.uid, cm.metadata.uid);
    assert.equal(forced.metadata.creationTimestamp, cm.metadata.creationTimestamp);
  });

  test('missing objects are 404; a uid mismatch is 409; a name mismatch is 400', () => {
    assert.equal(apiError(() => f.api.update(refs.configmaps, 'default', 'ghost', configMap('ghost'))).code, 404);
    const cm = f.api.create(refs.configmaps, 'default', configMap('a'));
    const uid = apiError(() => f.api.update(refs.configmaps, 'default', 'a', { ...cm, metadata: { ...cm.metadata, uid: 'other' } }));
    assert.equal(uid.code, 409);
    assert.match(uid.message, /Precondition failed: UID in precondition: other/);
    assert.equal(apiError(() => f.api.update(refs.configmaps, 'default', 'a', configMap('b'))).code, 400);
  });

  test('generation increments only when the spec changes', () => {
    const d = f.api.create(refs.deployments, 'default', deployment('web'));
    assert.equal(d.metadata.generation, 1);
    const labelled = f.api.update(refs.deployments, 'default', 'web', { ...d, metadata: { ...d.metadata, labels: { x: 'y' } } });
    assert.equal(labelled.metadata.generation, 1);
    const scaled = f.api.update(refs.deployments, 'default', 'web', { ...labelled, spec: { ...(labelled.spec as object), replicas: 3 } });
    assert.equal(scaled.metadata.generation, 2);
    const status = f.api.update(refs.deployments, 'default', 'web', { ...scaled, status: { replicas: 3 } }, {}, 'status');
    assert.equal(status.metadata.generation, 2);
  });

  test('status subresource isolation: main updates keep status, status updates keep the rest', () => {
    const d = f.api.create(refs.deployments, 'default', deployment('web'));
    const withStatus = f.api.update(refs.deployments, 'default', 'web',
      { ...d, spec: { ...(d.spec as object), replicas: 5 }, metadata: { ...d.metadata, labels: { a: 'b' } }, status: { replicas: 2 } }, {}, 'status');
    assert.deepEqual(withStatus.status, { replicas: 2 });
    assert.equal((withStatus.spec as { replicas: number }).replicas, 1);
    assert.equal(withStatus.metadata.labels, undefined);
    const main = f.api.update(refs.deployments, 'default', 'web', { ...withStatus, status: { replicas: 99 } });
    assert.deepEqual(main.status, { replicas: 2 });
    assert.equal(main.metadata.resourceVersion, withStatus.metadata.resourceVersion, 'status-only change to main is a no-op');
  });

  test('a no-op update keeps the resourceVersion and writes nothing', () => {
    const cm = f.api.create(refs.configmaps, 'default', configMap('a', { k: 'v' }));
    const revision = f.store.revision();
    const same = f.api.update(refs.configmaps, 'default', 'a', { ...cm });
    assert.equal(same.metadata.resourceVersion, cm.metadata.resourceVersion);
    assert.equal(f.store.revision(), revision);
  });

  test('removing the last finalizer of a terminating object deletes it', () => {
    f.api.create(refs.configmaps, 'default', { ...configMap('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const marked = f.api.delete(refs.configmaps, 'default', 'held');
    assert.ok(marked.metadata.deletionTimestamp);
    assert.equal(marked.metadata.deletionGracePeriodSeconds, 0);
    const more = apiError(() => f.api.update(refs.configmaps, 'default', 'held',
      { ...marked, metadata: { ...marked.metadata, finalizers: ['example.com/hold', 'example.com/new'] } }));
    assert.equal(more.code, 422);
    const released: KubeObject = { ...marked, metadata: { ...marked.metadata, finalizers: [] } };
    f.api.update(refs.configmaps, 'default', 'held', released);
    assert.equal(f.store.get('configmaps', 'default', 'held'), undefined);
  });

  test('server-set metadata cannot be changed by an update', () => {
    const p = f.api.create(refs.pods, 'default', pod('p'));
    const next = f.api.update(refs.pods, 'default', 'p',
      { ...p, metadata: { ...p.metadata, creationTimestamp: '2000-01-01T00:00:00Z', deletionTimestamp: '2000-01-01T00:00:00Z', labels: { a: 'b' } } });
    assert.equal(next.metadata.creationTimestamp, p.metadata.creationTimestamp);
    assert.equal(next.metadata.deletionTimestamp, undefined);
    assert.deepEqual(next.metadata.labels, { a: 'b' });
  });

  test('namespaces/finalize changes spec.finalizers only, and an emptied terminating namespace goes', () => {
    f.api.create(refs.namespaces, '', { metadata: { name: 'tmp' } });
    const terminating = f.api.delete(refs.namespaces, '', 'tmp');
    assert.deepEqual((terminating.spec as { finalizers: string[] }).finalizers, ['kubernetes']);
    assert.ok(f.store.get('namespaces', '', 'tmp'));
    f.api.update(refs.namespaces, '', 'tmp', { ...terminating, spec: { finalizers: [] } }, {}, 'finalize');
    assert.equal(f.store.get('namespaces', '', 'tmp'), undefined);
  });
});
