import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { apiError, deployment, makeFixture, refs, type Fixture } from './test-fixture.js';

describe('scale subresource', () => {
  let f: Fixture;
  beforeEach(() => { f = makeFixture(); });
  afterEach(() => f.close());

  test('get answers an autoscaling/v1 Scale', () => {
    const d = f.api.create(refs.deployments, 'default', deployment('web', 2));
    f.api.patch(refs.deployments, 'default', 'web', 'merge', { status: { replicas: 1 } }, {}, 'status');
    const scale = f.api.get(refs.deployments, 'default', 'web', 'scale');
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.apiVersion, 'autoscaling/v1');
    assert.equal(scale.metadata.uid, d.metadata.uid);
    assert.deepEqual(scale.spec, { replicas: 2 });
    assert.deepEqual(scale.status, { replicas: 1, selector: 'app=web' });
  });

  test('update sets spec.replicas, bumps generation, and a stale resourceVersion is 409', () => {
    f.api.create(refs.deployments, 'default', deployment('web', 2));
    const scale = f.api.get(refs.deployments, 'default', 'web', 'scale');
    const updated = f.api.update(refs.deployments, 'default', 'web', { ...scale, spec: { replicas: 5 } }, {}, 'scale');
    assert.deepEqual(updated.spec, { replicas: 5 });
    const d = f.api.get(refs.deployments, 'default', 'web');
    assert.equal((d.spec as { replicas: number }).replicas, 5);
    assert.equal(d.metadata.generation, 2);
    assert.equal(apiError(() => f.api.update(refs.deployments, 'default', 'web', { ...scale, spec: { replicas: 6 } }, {}, 'scale')).code, 409);
    assert.equal(apiError(() => f.api.update(refs.deployments, 'default', 'web', { metadata: { name: 'web' }, spec: { replicas: -1 } }, {}, 'scale')).code, 422);
  });

  test('patch of scale (kubectl scale) and 404 for kinds without it', () => {
    f.api.create(refs.deployments, 'default', deployment('web', 2));
    const patched = f.api.patch(refs.deployments, 'default', 'web', 'merge', { spec: { replicas: 0 } }, {}, 'scale');
    assert.deepEqual(patched.spec, { replicas: 0 });
    assert.equal(apiError(() => f.api.get(refs.configmaps, 'default', 'x', 'scale')).code, 404);
  });
});
