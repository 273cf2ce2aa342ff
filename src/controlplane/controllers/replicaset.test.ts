import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { makeControllerHarness, testRefs, waitFor, type ControllerHarness } from '../../testing/controller-harness.js';

function replicaSet(name: string, replicas: number, minReadySeconds?: number): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'default' },
    spec: {
      replicas, selector: { matchLabels: { app: name } }, ...(minReadySeconds ? { minReadySeconds } : {}),
      template: { metadata: { labels: { app: name, tier: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } },
    },
  };
}

const status = (h: ControllerHarness, name: string): Record<string, unknown> =>
  (h.api.get(testRefs.replicasets, 'default', name).status ?? {}) as Record<string, unknown>;

const livePods = (h: ControllerHarness, app: string): KubeObject[] =>
  h.list(testRefs.pods, 'default', `app=${app}`).filter((p) => !p.metadata.deletionTimestamp);

describe('replicaset controller', () => {
  let h: ControllerHarness;
  beforeEach(() => { h = makeControllerHarness(); });
  afterEach(async () => { await h.close(); });

  test('creates pods from the template with owner references and events', async () => {
    await h.start(['replicaset']);
    const rs = h.api.create(testRefs.replicasets, 'default', replicaSet('web', 3));
    const pods = await waitFor(() => (livePods(h, 'web').length === 3 ? livePods(h, 'web') : undefined), '3 pods');
    for (const p of pods) {
      assert.match(p.metadata.name ?? '', /^web-[a-z0-9]{5}$/);
      assert.equal(p.metadata.labels?.tier, 'web');
      assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    const s = await waitFor(() => (status(h, 'web').replicas === 3 ? status(h, 'web') : undefined), 'status');
    assert.equal(s.fullyLabeledReplicas, 3);
    assert.equal(s.readyReplicas, 0);
    assert.equal(s.observedGeneration, 1);
    const created = h.list(testRefs.events, 'default').filter((e) => e.reason === 'SuccessfulCreate');
    assert.equal(created.length, 3);
    assert.match(String(created[0]?.message), /^Created pod: web-/);
  });

  test('scales down, deleting not-ready pods first, and counts ready and available', async () => {
    await h.start(['replicaset']);
    h.api.create(testRefs.replicasets, 'default', replicaSet('web', 3));
    const pods = await waitFor(() => (livePods(h, 'web').length === 3 ? livePods(h, 'web') : undefined), '3 pods');
    const [a, b] = pods.map((p) => p.metadata.name ?? '');
    h.setPodReady('default', a ?? '');
    h.setPodReady('default', b ?? '');
    await waitFor(() => status(h, 'web').readyReplicas === 2 && status(h, 'web').availableReplicas === 2, 'ready count');
    h.api.patch(testRefs.replicasets, 'default', 'web', 'merge', { spec: { replicas: 2 } });
    await waitFor(() => livePods(h, 'web').length === 2, 'scale down to 2');
    assert.deepEqual(livePods(h, 'web').map((p) => p.metadata.name).sort(), [a, b].sort());
    await waitFor(() => status(h, 'web').replicas === 2 && status(h, 'web').observedGeneration === 2, 'status after scale');
  });

  test('replaces a deleted pod and does not count terminating pods', async () => {
    await h.start(['replicaset']);
    h.api.create(testRefs.replicasets, 'default', replicaSet('web', 2));
    const pods = await waitFor(() => (livePods(h, 'web').length === 2 ? livePods(h, 'web') : undefined), '2 pods');
    h.api.delete(testRefs.pods, 'default', pods[0]?.metadata.name ?? '');
    await waitFor(() => livePods(h, 'web').length === 2 && !livePods(h, 'web').some((p) => p.metadata.name === pods[0]?.metadata.name), 'replacement');
  });

  test('adopts matching orphans and releases pods that stop matching', async () => {
    h.api.create(testRefs.pods, 'default', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] },
    });
    await h.start(['replicaset']);
    const rs = h.api.create(testRefs.replicasets, 'default', replicaSet('web', 2));
    await waitFor(() => h.api.get(testRefs.pods, 'default', 'orphan').metadata.ownerReferences?.[0]?.uid === rs.metadata.uid, 'adoption');
    await waitFor(() => livePods(h, 'web').length === 2, 'one more pod, not two');
    h.api.patch(testRefs.pods, 'default', 'orphan', 'merge', { metadata: { labels: { app: 'other' } } });
    await waitFor(() => (h.api.get(testRefs.pods, 'default', 'orphan').metadata.ownerReferences ?? []).length === 0, 'release');
    await waitFor(() => livePods(h, 'web').length === 2, 'replacement for the released pod');
  });

  test('minReadySeconds delays availability', async () => {
    await h.start(['replicaset']);
    h.api.create(testRefs.replicasets, 'default', replicaSet('slow', 1, 30));
    const [p] = await waitFor(() => (livePods(h, 'slow').length === 1 ? livePods(h, 'slow') : undefined), 'pod');
    h.setPodReady('default', p?.metadata.name ?? '');
    await waitFor(() => status(h, 'slow').readyReplicas === 1, 'ready');
    assert.equal(status(h, 'slow').availableReplicas, 0);
    h.advance(31_000);
    await waitFor(() => status(h, 'slow').availableReplicas === 1, 'available after minReadySeconds');
  });
});
