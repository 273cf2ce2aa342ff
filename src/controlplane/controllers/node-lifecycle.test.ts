import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { makeControllerHarness, testRefs, waitFor, type ControllerHarness } from '../../testing/controller-harness.js';

interface Cond { type: string; status: string; reason?: string; message?: string; lastHeartbeatTime?: string }
interface TaintView { key: string; effect: string; timeAdded?: string }

const node = (h: ControllerHarness, name: string): KubeObject => h.api.get(testRefs.nodes, '', name);
const ready = (h: ControllerHarness, name: string): Cond | undefined =>
  ((node(h, name).status as { conditions?: Cond[] }).conditions ?? []).find((c) => c.type === 'Ready');
const taints = (h: ControllerHarness, name: string): string[] =>
  (((node(h, name).spec as { taints?: TaintView[] } | undefined)?.taints) ?? []).map((t) => `${t.key}:${t.effect}`).sort();

function boundPod(h: ControllerHarness, name: string, nodeName: string, tolerations?: unknown[]): void {
  h.api.create(testRefs.pods, 'default', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name },
    spec: { nodeName, containers: [{ name: 'c', image: 'app:1' }], ...(tolerations ? { tolerations } : {}) },
  });
  h.setPodReady('default', name);
}

function heartbeat(h: ControllerHarness, name: string): void {
  const n = node(h, name);
  const t = h.now().toISOString();
  const conditions = [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: t, lastTransitionTime: t }];
  h.api.update(testRefs.nodes, '', name, { ...n, status: { ...(n.status as object), conditions } }, {}, 'status');
}

const podReady = (h: ControllerHarness, name: string): string | undefined =>
  ((h.api.get(testRefs.pods, 'default', name).status as { conditions?: Cond[] }).conditions ?? []).find((c) => c.type === 'Ready')?.status;
const evicted = (h: ControllerHarness, name: string): boolean => {
  const p = h.tryGet(testRefs.pods, 'default', name);
  return !p || Boolean(p.metadata.deletionTimestamp);
};

describe('node lifecycle controller', () => {
  let h: ControllerHarness;
  beforeEach(() => { h = makeControllerHarness(); });
  afterEach(async () => { await h.close(); });

  test('marks a silent node Unknown, taints it, marks its pods not ready, and recovers', async () => {
    h.createNode('n1');
    boundPod(h, 'app', 'n1');
    await h.start(['nodelifecycle']);
    h.advance(30_000);
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(ready(h, 'n1')?.status, 'True', 'still within the 40 s grace period');
    h.advance(11_000);
    const cond = await waitFor(() => (ready(h, 'n1')?.status === 'Unknown' ? ready(h, 'n1') : undefined), 'Unknown');
    assert.equal(cond.reason, 'NodeStatusUnknown');
    assert.equal(cond.message, 'Kubelet stopped posting node status.');
    await waitFor(() => taints(h, 'n1').join() === 'node.kubernetes.io/unreachable:NoExecute,node.kubernetes.io/unreachable:NoSchedule', 'taints');
    const noExecute = ((node(h, 'n1').spec as { taints: TaintView[] }).taints).find((t) => t.effect === 'NoExecute');
    assert.ok(noExecute?.timeAdded, 'NoExecute taints carry timeAdded');
    await waitFor(() => podReady(h, 'app') === 'False', 'pod not ready');
    heartbeat(h, 'n1');
    await waitFor(() => taints(h, 'n1').length === 0, 'taints removed when the node is back');
    assert.equal(evicted(h, 'app'), false);
  });

  test('a renewed lease keeps a node alive without status heartbeats', async () => {
    h.createNode('n1');
    const lease = (renewTime: string): KubeObject => ({
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1', namespace: 'kube-node-lease' },
      spec: { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime },
    });
    h.api.create(testRefs.leases, 'kube-node-lease', lease(h.now().toISOString()));
    await h.start(['nodelifecycle']);
    for (let i = 0; i < 4; i++) {
      h.advance(20_000);
      const current = h.api.get(testRefs.leases, 'kube-node-lease', 'n1');
      h.api.update(testRefs.leases, 'kube-node-lease', 'n1', { ...current, spec: { ...(current.spec as object), renewTime: h.now().toISOString() } });
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(ready(h, 'n1')?.status, 'True');
    h.advance(41_000);
    await waitFor(() => ready(h, 'n1')?.status === 'Unknown', 'Unknown once the lease stops too');
  });

  test('Ready=False gets the not-ready taints', async () => {
    h.createNode('sick', { ready: 'False' });
    await h.start(['nodelifecycle']);
    await waitFor(() => taints(h, 'sick').join() === 'node.kubernetes.io/not-ready:NoExecute,node.kubernetes.io/not-ready:NoSchedule', 'not-ready taints');
  });

  test('evicts pods of a lost normal node after the timeout, honouring tolerations', async () => {
    h.createNode('n1');
    boundPod(h, 'plain', 'n1');
    boundPod(h, 'short', 'n1', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }]);
    boundPod(h, 'forever', 'n1', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }]);
    await h.start(['nodelifecycle'], { podEvictionTimeoutMs: 60_000 });
    h.advance(41_000);
    await waitFor(() => taints(h, 'n1').length === 2, 'lost');
    assert.equal(evicted(h, 'short'), false);
    h.advance(6_000);
    await waitFor(() => evicted(h, 'short'), 'short toleration evicted');
    assert.equal(evicted(h, 'plain'), false);
    h.advance(60_000);
    await waitFor(() => evicted(h, 'plain'), 'plain pod evicted after podEvictionTimeout');
    h.advance(3_600_000);
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(evicted(h, 'forever'), false);
    const event = h.list(testRefs.events, 'default').find((e) => e.reason === 'TaintManagerEviction');
    assert.ok(event);
  });

  test('never evicts pods of an autonomous edge node', async () => {
    h.createNode('edge-1', { labels: { 'node-role.kubernetes.io/edge': '' } });
    h.createNode('edge-2', { annotations: { 'node.kubeedge.io/autonomy': 'true' } });
    boundPod(h, 'sensor', 'edge-1');
    boundPod(h, 'camera', 'edge-2');
    await h.start(['nodelifecycle'], { podEvictionTimeoutMs: 1_000 });
    h.advance(41_000);
    await waitFor(() => taints(h, 'edge-1').length === 2 && taints(h, 'edge-2').length === 2, 'both lost');
    h.advance(24 * 3_600_000);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(evicted(h, 'sensor'), false);
    assert.equal(evicted(h, 'camera'), false);
    assert.equal(podReady(h, 'sensor'), 'False');
  });
});
