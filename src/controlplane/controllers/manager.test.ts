import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeControllerHarness, testRefs, waitFor, type ControllerHarness } from '../../testing/controller-harness.js';
import { EventRecorder } from './event-recorder.js';
import { startControllers } from './manager.js';

describe('startControllers', () => {
  let h: ControllerHarness;
  beforeEach(() => { h = makeControllerHarness(); });
  afterEach(async () => { await h.close(); });

  test('all controllers together take a Deployment to bound, ready pods', async () => {
    h.createNode('edge-1', { labels: { 'node-role.kubernetes.io/edge': '' } });
    h.createNode('edge-2', { labels: { 'node-role.kubernetes.io/edge': '' } });
    const running = await h.start([]);
    await running.stop();
    const all = await h.start(['scheduler', 'replicaset', 'deployment', 'daemonset', 'statefulset', 'nodelifecycle', 'podgc', 'garbagecollector', 'namespace']);
    assert.equal(all.controllers.length, 9);
    const kubelet = h.startKubelet({ boundOnly: true });
    try {
      h.api.create(testRefs.deployments, 'default', {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
        spec: { replicas: 4, selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
      });
      await waitFor(() => (h.api.get(testRefs.deployments, 'default', 'web').status as { availableReplicas?: number } | undefined)?.availableReplicas === 4, 'available');
      const nodes = h.list(testRefs.pods, 'default').map((p) => (p.spec as { nodeName?: string }).nodeName).sort();
      assert.deepEqual(nodes, ['edge-1', 'edge-1', 'edge-2', 'edge-2']);
    } finally {
      kubelet.stop();
    }
  });

  test('rejects unknown controller names and stops cleanly when never synced', async () => {
    assert.throws(() => startControllers({ api: h.api, log: h.log, enabled: ['nope'] }, new AbortController().signal), /unknown controllers: nope/);
    const ac = new AbortController();
    ac.abort();
    const r = startControllers({ api: h.api, log: h.log }, ac.signal);
    await r.ready;
    await r.stop();
  });
});

describe('event recorder', () => {
  let h: ControllerHarness;
  beforeEach(() => { h = makeControllerHarness(); });
  afterEach(async () => { await h.close(); });

  test('records core/v1 events and counts repeats on one object', () => {
    const node = h.createNode('n1');
    const recorder = new EventRecorder({ api: h.api, log: h.log, component: 'node-controller', now: h.now });
    recorder.event(node, 'Normal', 'NodeNotReady', 'Node n1 status is now: NodeNotReady');
    h.advance(5_000);
    recorder.event(node, 'Normal', 'NodeNotReady', 'Node n1 status is now: NodeNotReady');
    recorder.event(node, 'Warning', 'Other', 'different');
    const events = h.list(testRefs.events, 'default');
    assert.equal(events.length, 2);
    const e = events.find((x) => x.reason === 'NodeNotReady');
    assert.equal(e?.count, 2);
    assert.deepEqual(e?.involvedObject, { kind: 'Node', name: 'n1', uid: node.metadata.uid, apiVersion: 'v1', resourceVersion: node.metadata.resourceVersion });
    assert.equal(e?.firstTimestamp, '2024-05-01T10:00:00Z');
    assert.equal(e?.lastTimestamp, '2024-05-01T10:00:05Z');
    assert.deepEqual(e?.source, { component: 'node-controller' });
    assert.match(e?.metadata.name ?? '', /^n1\.[0-9a-f]+$/);
  });
});
