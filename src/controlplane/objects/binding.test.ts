import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { apiError, makeFixture, pod, refs, type Fixture } from './test-fixture.js';

const binding = (podName: string, node: string) =>
  ({ apiVersion: 'v1', kind: 'Binding', metadata: { name: podName, annotations: { 'example.com/by': 'test' } }, target: { kind: 'Node', name: node } });

describe('pods/binding', () => {
  let f: Fixture;
  beforeEach(() => { f = makeFixture(); });
  afterEach(() => f.close());

  test('binds once: sets spec.nodeName, PodScheduled=True and the annotations', () => {
    f.api.create(refs.pods, 'default', pod('p'));
    const status = f.api.bind('default', 'p', binding('p', 'edge-1'));
    assert.equal(status.status, 'Success');
    assert.equal(status.code, 201);
    const bound = f.api.get(refs.pods, 'default', 'p');
    assert.equal((bound.spec as { nodeName: string }).nodeName, 'edge-1');
    assert.equal(bound.metadata.annotations?.['example.com/by'], 'test');
    const conditions = (bound.status as { conditions: Array<Record<string, unknown>> }).conditions;
    assert.deepEqual(conditions.find((c) => c.type === 'PodScheduled'),
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-05-01T10:00:00Z' });
  });

  test('a second bind is 409; a missing pod is 404; a binding without a target is 422', () => {
    f.api.create(refs.pods, 'default', pod('p'));
    f.api.bind('default', 'p', binding('p', 'edge-1'));
    const err = apiError(() => f.api.bind('default', 'p', binding('p', 'edge-2')));
    assert.equal(err.code, 409);
    assert.equal(err.message, 'Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "edge-1"');
    assert.equal(apiError(() => f.api.bind('default', 'ghost', binding('ghost', 'edge-1'))).code, 404);
    f.api.create(refs.pods, 'default', pod('q'));
    assert.equal(apiError(() => f.api.bind('default', 'q', { metadata: { name: 'q' }, target: {} })).code, 422);
    assert.equal(apiError(() => f.api.bind('default', 'q', binding('other', 'edge-1'))).code, 400);
  });
});
