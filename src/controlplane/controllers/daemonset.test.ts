import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { makeControllerHarness, testRefs, waitFor, type ControllerHarness } from '../../testing/controller-harness.js';

function daemonSet(name: string, extra: Record<string, unknown> = {}, image = 'agent:1'): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }], ...extra } },
    },
  };
}

interface PodView { name: string; node: string | undefined; target: string | undefined; hash: string | undefined; ready: boolean }

function pods(h: ControllerHarness): PodView[] {
  return h.list(testRefs.pods, 'default').filter((p) => !p.metadata.deletionTimestamp).map((p) => {
    const spec = p.spec as { nodeName?: string; affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: { matchFields?: { values?: string[] }[] }[] } } } };
    const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
    const conds = (p.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
    return {
      name: p.metadata.name ?? '', node: spec.nodeName, target: terms[0]?.matchFields?.[0]?.values?.[0],
      hash: p.metadata.labels?.['controller-revision-hash'], ready: conds.some((c) => c.type === 'Ready' && c.status === 'True'),
    };
  });
}

const status = (h: ControllerHarness, name: string): Record<string, unknown> =>
  (h.api.get(testRefs.daemonsets, 'default', name).status ?? {}) as Record<string, unknown>;

describe('daemonset controller', () => {
  let h: ControllerHarness;
  beforeEach(() => { h = makeControllerHarness(); });
  afterEach(async () => { await h.close(); });

  test('runs one pod per eligible node, pinned with matchFields and bound by the scheduler', async () => {
    h.createNode('n1', { labels: { role: 'edge' } });
    h.createNode('n2', { labels: { role: 'edge' } });
    h.createNode('other', { labels: { role: 'cloud' } });
    h.createNode('tainted', { labels: { role: 'edge' }, taints: [{ key: 'gpu', effect: 'NoSchedule' }] });
    h.createNode('lost', { labels: { role: 'edge' }, taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] });
    await h.start(['daemonset', 'scheduler']);
    h.api.create(testRefs.daemonsets, 'default', daemonSet('agent', { nodeSelector: { role: 'edge' } }));
    // The lost node's NoExecute unreachable taint is tolerated by every daemon pod.
    const bound = await waitFor(() => { const p = pods(h); return p.length === 3 && p.every((x) => x.node) ? p : undefined; }, '3 bound pods');
    assert.deepEqual(bound.map((p) => p.target).sort(), ['lost', 'n1', 'n2']);
    assert.ok(bound.every((p) => p.node === p.target));
    assert.ok(bound.every((p) => p.hash));
    const pod = h.list(testRefs.pods, 'default')[0];
    const tolerations = (pod?.spec as { tolerations: { key?: string; effect?: string }[] }).tolerations;
    assert.ok(tolerations.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute'));
    assert.ok(tolerations.some((t) => t.key === 'node.kubernetes.io/unschedulable' && t.effect === 'NoSchedule'));
    for (const p of bound) h.setPodReady('default', p.name);
    await waitFor(() => status(h, 'agent').numberReady === 3, 'ready count');
    const s = status(h, 'agent');
    assert.deepEqual([s.desiredNumberScheduled, s.currentNumberScheduled, s.numberAvailable, s.updatedNumberScheduled, s.numberMisscheduled, s.observedGeneration],
      [3, 3, 3, 3, 0, 1]);
  });

  test('follows nodes as they come and go', async () => {
    h.createNode('n1');
    await h.start(['daemonset', 'scheduler', 'podgc']);
    h.api.create(testRefs.daemonsets, 'default', daemonSet('agent'));
    await waitFor(() => pods(h).length === 1, 'pod on n1');
    h.createNode('n2');
    await waitFor(() => pods(h).map((p) => p.target).sort().join() === 'n1,n2', 'pod on n2');
    h.api.delete(testRefs.nodes, '', 'n1');
    await waitFor(() => h.list(testRefs.pods, 'default').map((p) => (p.spec as { nodeName?: string }).nodeName).join() === 'n2', 'pod of n1 gone');
    await waitFor(() => status(h, 'agent').desiredNumberScheduled === 1, 'desired 1');
    // A node that stops matching loses its pod.
    h.api.patch(testRefs.daemonsets, 'default', 'agent', 'merge', { spec: { template: { spec: { nodeSelector: { role: 'none' } } } } });
    await waitFor(() => pods(h).length === 0, 'no eligible node');
  });

  test('rolling update replaces pods with at most maxUnavailable nodes down', async () => {
    for (const n of ['n1', 'n2', 'n3']) h.createNode(n);
    await h.start(['daemonset', 'scheduler']);
    h.api.create(testRefs.daemonsets, 'default', daemonSet('agent'));
    let minAvailable = Number.POSITIVE_INFINITY;
    let armed = false;
    const kubelet = h.startKubelet({
      boundOnly: true,
      onTick: () => {
        if (armed) minAvailable = Math.min(minAvailable, new Set(pods(h).filter((p) => p.ready).map((p) => p.target)).size);
      },
    });
    try {
      await waitFor(() => status(h, 'agent').numberAvailable === 3, 'all available');
      const oldHash = pods(h)[0]?.hash;
      armed = true;
      h.api.patch(testRefs.daemonsets, 'default', 'agent', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'agent:2' }] } } } });
      await waitFor(() => { const s = status(h, 'agent'); return s.updatedNumberScheduled === 3 && s.numberAvailable === 3 && s.observedGeneration === 2; }, 'rolled out');
      assert.ok(pods(h).every((p) => p.hash !== oldHash));
      assert.ok(minAvailable >= 2, `at most one node without an available pod, saw ${minAvailable} available`);
    } finally {
      kubelet.stop();
    }
  });
});
