import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeKubeClient } from '../../testing/fake-kube-client.js';
import { Resources } from '../kube/index.js';
import {
  cloudNode, configMap, edgeNode, pod, settle, startController, usesConfigMap, type Harness,
} from '../../testing/edgecontroller-harness.js';

let h: Harness | undefined;
afterEach(() => { h?.stop(); h = undefined; });

async function cluster(): Promise<FakeKubeClient> {
  const kube = new FakeKubeClient();
  await kube.create(Resources.nodes, edgeNode('edge-1'));
  await kube.create(Resources.nodes, edgeNode('edge-2'));
  await kube.create(Resources.nodes, cloudNode('cloud-1'));
  return kube;
}

describe('downstream: pods', () => {
  test('a pod bound to an edge node goes to that node only, as an insert with its resourceVersion', async () => {
    const kube = await cluster();
    h = await startController(kube);
    h.hub.clear();
    const created = await kube.create(Resources.pods, pod('web', 'edge-1'));
    await settle();
    const msgs = h.hub.to(undefined, 'default/pod/web');
    assert.equal(msgs.length, 1);
    const [m] = msgs;
    assert.equal(m!.node, 'edge-1');
    assert.equal(m!.msg.route.operation, 'insert');
    assert.equal(m!.msg.route.source, 'edgecontroller');
    assert.equal(m!.msg.route.group, 'resource');
    assert.equal(m!.msg.header.resourceversion, created.metadata.resourceVersion);
    assert.deepEqual(m!.opts, { reliable: true, objectUID: created.metadata.uid });
    assert.equal((m!.msg.content as { kind?: string }).kind, 'Pod');
  });

  test('pods on cloud nodes and unscheduled pods are not sent; binding later sends an insert', async () => {
    const kube = await cluster();
    h = await startController(kube);
    h.hub.clear();
    await kube.create(Resources.pods, pod('cloudy', 'cloud-1'));
    const p = await kube.create(Resources.pods, pod('later', ''));
    await settle();
    assert.equal(h.hub.sent.length, 0);
    await kube.patch(Resources.pods, 'default', 'later', { spec: { nodeName: 'edge-2' } }, 'merge');
    await settle();
    assert.deepEqual(h.hub.to().map((s) => [s.node, s.msg.route.operation, s.msg.route.resource]), [['edge-2', 'insert', 'default/pod/later']]);
    assert.equal(p.metadata.name, 'later');
  });

  test('status-only updates are not sent; spec/metadata updates, termination and deletion are', async () => {
    const kube = await cluster();
    h = await startController(kube);
    await kube.create(Resources.pods, pod('web', 'edge-1'));
    await settle();
    h.hub.clear();
    await kube.patch(Resources.pods, 'default', 'web', { status: { phase: 'Running' } }, 'merge', 'status');
    await settle();
    assert.equal(h.hub.sent.length, 0, 'status written by the edge is not echoed back');
    await kube.patch(Resources.pods, 'default', 'web', { metadata: { labels: { v: '2' } } }, 'merge');
    await kube.patch(Resources.pods, 'default', 'web', { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' } }, 'merge');
    await kube.delete(Resources.pods, 'default', 'web');
    await settle();
    assert.deepEqual(h.hub.to('edge-1').map((s) => s.msg.route.operation), ['update', 'update', 'delete']);
  });

  test('an ADDED pod the node already acked at this version is skipped (cloudcore restart)', async () => {
    const kube = await cluster();
    const p = await kube.create(Resources.pods, pod('web', 'edge-1'));
    const q = await kube.create(Resources.pods, pod('api', 'edge-1'));
    const acked = new Map([[`edge-1/${p.metadata.uid}`, p.metadata.resourceVersion!], [`edge-1/${q.metadata.uid}`, '1']]);
    h = await startController(kube, { acked });
    assert.equal(h.hub.to('edge-1', 'default/pod/web').length, 0);
    assert.equal(h.hub.to('edge-1', 'default/pod/api').length, 1, 'an older acked version is resent');
    assert.equal(h.ec.metrics().downstream_skipped_acked_total >= 1, true);
  });
});

describe('downstream: configmaps and secrets', () => {
  test('a referenced configmap goes to the pod\'s node before the pod; updates follow; others see nothing', async () => {
    const kube = await cluster();
    await kube.create(Resources.configmaps, configMap('cfg', { a: '1' }));
    h = await startController(kube);
    h.hub.clear();
    await kube.create(Resources.pods, pod('web', 'edge-1', usesConfigMap('cfg')));
    await settle();
    assert.deepEqual(h.hub.to().map((s) => [s.node, s.msg.route.operation, s.msg.route.resource]), [
      ['edge-1', 'insert', 'default/configmap/cfg'],
      ['edge-1', 'insert', 'default/pod/web'],
    ]);
    h.hub.clear();
    const updated = await kube.update(Resources.configmaps, configMap('cfg', { a: '2' }));
    await settle();
    const ups = h.hub.to();
    assert.equal(ups.length, 1);
    assert.equal(ups[0]!.node, 'edge-1');
    assert.equal(ups[0]!.msg.route.operation, 'update');
    assert.equal(ups[0]!.msg.header.resourceversion, updated.metadata.resourceVersion);
    assert.deepEqual((ups[0]!.msg.content as { data: unknown }).data, { a: '2' });
  });

  test('a configmap created after the pod is inserted on the node; deletion is sent too', async () => {
    const kube = await cluster();
    h = await startController(kube);
    await kube.create(Resources.pods, pod('web', 'edge-2', usesConfigMap('late')));
    await settle();
    h.hub.clear();
    await kube.create(Resources.configmaps, configMap('late', {}));
    await kube.create(Resources.configmaps, configMap('unused', {}));
    await kube.delete(Resources.configmaps, 'default', 'late');
    await settle();
    assert.deepEqual(h.hub.to().map((s) => [s.node, s.msg.route.operation, s.msg.route.resource]), [
      ['edge-2', 'insert', 'default/configmap/late'],
      ['edge-2', 'delete', 'default/configmap/late'],
    ]);
  });

  test('secrets are sent as update on ADDED, as KubeEdge does', async () => {
    const kube = await cluster();
    h = await startController(kube);
    await kube.create(Resources.pods, pod('web', 'edge-1', { imagePullSecrets: [{ name: 'pull' }] }));
    await settle();
    h.hub.clear();
    await kube.create(Resources.secrets, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pull', namespace: 'default' }, data: {} });
    await settle();
    assert.deepEqual(h.hub.to().map((s) => [s.node, s.msg.route.operation, s.msg.route.resource]), [['edge-1', 'update', 'default/secret/pull']]);
  });

  test('one configmap update fans out to every node using it, once per node', async () => {
    const kube = new FakeKubeClient({ historySize: 10_000 });
    const nodes = 200;
    for (let i = 0; i < nodes; i++) await kube.create(Resources.nodes, edgeNode(`e${i}`));
    await kube.create(Resources.configmaps, configMap('shared', { v: '1' }));
    for (let i = 0; i < nodes * 2; i++) await kube.create(Resources.pods, pod(`p${i}`, `e${i % nodes}`, usesConfigMap('shared')));
    h = await startController(kube);
    h.hub.clear();
    await kube.update(Resources.configmaps, configMap('shared', { v: '2' }));
    await settle();
    const targets = h.hub.to().map((s) => s.node);
    assert.equal(targets.length, nodes);
    assert.equal(new Set(targets).size, nodes);
    assert.equal(new Set(h.hub.to().map((s) => s.msg.header.msg_id)).size, nodes, 'one msg_id per node');
  });

  test('when no pod on a node uses a configmap any more, the node is told to delete it after the delay', async () => {
    const kube = await cluster();
    await kube.create(Resources.configmaps, configMap('cfg', {}));
    h = await startController(kube, { options: { releaseDelayMs: 1000 } });
    await kube.create(Resources.pods, pod('a', 'edge-1', usesConfigMap('cfg')));
    await kube.create(Resources.pods, pod('b', 'edge-1', usesConfigMap('cfg')));
    await settle();
    await kube.delete(Resources.pods, 'default', 'a');
    await settle();
    h.clock.t += 5000;
    assert.equal(h.ec.sweepReleased(), 0, 'still used by pod b');
    await kube.delete(Resources.pods, 'default', 'b');
    await settle();
    h.hub.clear();
    assert.equal(h.ec.sweepReleased(), 0, 'not before the delay');
    h.clock.t += 1000;
    assert.equal(h.ec.sweepReleased(), 1);
    assert.deepEqual(h.hub.to().map((s) => [s.node, s.msg.route.operation, s.msg.route.resource]), [['edge-1', 'delete', 'default/configmap/cfg']]);
  });

  test('a configmap re-referenced within the delay is not deleted', async () => {
    const kube = await cluster();
    await kube.create(Resources.configmaps, configMap('cfg', {}));
    h = await startController(kube, { options: { releaseDelayMs: 1000 } });
    await kube.create(Resources.pods, pod('a', 'edge-1', usesConfigMap('cfg')));
    await settle();
    await kube.delete(Resources.pods, 'default', 'a');
    await kube.create(Resources.pods, pod('a2', 'edge-1', usesConfigMap('cfg')));
    await settle();
    h.clock.t += 2000;
    assert.equal(h.ec.sweepReleased(), 0);
  });
});

describe('downstream: nodes and services', () => {
  test('services and endpoints go to every edge node; a new edge node gets them and its pods', async () => {
    const kube = await cluster();
    await kube.create(Resources.services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'default' }, spec: {} });
    await kube.create(Resources.pods, pod('early', 'edge-3'));
    h = await startController(kube);
    assert.deepEqual(h.hub.to(undefined, 'default/service/svc').map((s) => s.node).sort(), ['edge-1', 'edge-2']);
    h.hub.clear();
    await kube.create(Resources.nodes, edgeNode('edge-3'));
    await settle();
    assert.deepEqual(h.hub.to('edge-3').map((s) => [s.msg.route.operation, s.msg.route.resource]), [
      ['update', 'null/node/edge-3'],
      ['insert', 'default/pod/early'],
      ['insert', 'default/service/svc'],
    ]);
  });

  test('sendServices: false sends no services', async () => {
    const kube = await cluster();
    await kube.create(Resources.services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'default' }, spec: {} });
    h = await startController(kube, { options: { sendServices: false } });
    assert.equal(h.hub.to(undefined, 'default/service/svc').length, 0);
  });

  test('node label changes go down to the node; node status changes do not', async () => {
    const kube = await cluster();
    h = await startController(kube);
    h.hub.clear();
    await kube.patch(Resources.nodes, null, 'edge-1', { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, 'merge', 'status');
    await settle();
    assert.equal(h.hub.sent.length, 0);
    await kube.patch(Resources.nodes, null, 'edge-1', { metadata: { labels: { zone: 'a' } } }, 'merge');
    await settle();
    assert.deepEqual(h.hub.to().map((s) => [s.node, s.msg.route.operation, s.msg.route.resource]), [['edge-1', 'update', 'null/node/edge-1']]);
    assert.equal(h.ec.metrics().edge_nodes, 2);
  });
});
