import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { makeControllerHarness, testRefs, waitFor, type ControllerHarness } from '../../testing/controller-harness.js';

function statefulSet(name: string, replicas: number, extra: Record<string, unknown> = {}, image = 'db:1'): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: 'default' },
    spec: {
      replicas, serviceName: `${name}-headless`, selector: { matchLabels: { app: name } }, ...extra,
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
    },
  };
}

const names = (h: ControllerHarness): string[] =>
  h.list(testRefs.pods, 'default').filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name ?? '').sort();
const status = (h: ControllerHarness, name: string): Record<string, unknown> =>
  (h.api.get(testRefs.statefulsets, 'default', name).status ?? {}) as Record<string, unknown>;

describe('statefulset controller', () => {
  let h: ControllerHarness;
  beforeEach(() => { h = makeControllerHarness(); });
  afterEach(async () => { await h.close(); });

  test('creates pods one by one in ordinal order with stable identity', async () => {
    await h.start(['statefulset']);
    const set = h.api.create(testRefs.statefulsets, 'default', statefulSet('db', 3));
    await waitFor(() => names(h).join() === 'db-0', 'db-0');
    // Give the controller time to (wrongly) go on while db-0 is not ready.
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(names(h), ['db-0']);
    const pod = h.api.get(testRefs.pods, 'default', 'db-0');
    assert.equal(pod.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'db-0');
    assert.equal(pod.metadata.labels?.['apps.kubernetes.io/pod-index'], '0');
    assert.match(pod.metadata.labels?.['controller-revision-hash'] ?? '', /^db-/);
    assert.equal((pod.spec as { hostname?: string }).hostname, 'db-0');
    assert.equal((pod.spec as { subdomain?: string }).subdomain, 'db-headless');
    assert.equal(pod.metadata.ownerReferences?.[0]?.uid, set.metadata.uid);
    h.setPodReady('default', 'db-0');
    await waitFor(() => names(h).join() === 'db-0,db-1', 'db-1 after db-0 ready');
    h.setPodReady('default', 'db-1');
    await waitFor(() => names(h).join() === 'db-0,db-1,db-2', 'db-2');
    h.setPodReady('default', 'db-2');
    await waitFor(() => status(h, 'db').readyReplicas === 3, 'status');
    const s = status(h, 'db');
    assert.equal(s.replicas, 3);
    assert.equal(s.currentRevision, s.updateRevision);
    assert.equal(s.updatedReplicas, 3);
  });

  test('scales down from the highest ordinal', async () => {
    await h.start(['statefulset']);
    const kubelet = h.startKubelet();
    try {
      h.api.create(testRefs.statefulsets, 'default', statefulSet('db', 3));
      await waitFor(() => status(h, 'db').readyReplicas === 3, '3 ready');
      h.api.patch(testRefs.statefulsets, 'default', 'db', 'merge', { spec: { replicas: 1 } });
      await waitFor(() => names(h).join() === 'db-0', 'only db-0 left');
    } finally {
      kubelet.stop();
    }
  });

  test('Parallel creates all pods at once', async () => {
    await h.start(['statefulset']);
    h.api.create(testRefs.statefulsets, 'default', statefulSet('web', 3, { podManagementPolicy: 'Parallel' }));
    await waitFor(() => names(h).join() === 'web-0,web-1,web-2', 'all pods without readiness');
  });

  test('rolling update replaces pods from the highest ordinal and finishes the revision', async () => {
    await h.start(['statefulset']);
    const order: string[] = [];
    const kubelet = h.startKubelet();
    const watch = h.api.watch(testRefs.pods, { namespace: 'default' }, (ev) => {
      if (ev.type === 'DELETED') order.push((ev.object as KubeObject).metadata.name ?? '');
    });
    try {
      h.api.create(testRefs.statefulsets, 'default', statefulSet('db', 3));
      await waitFor(() => status(h, 'db').readyReplicas === 3, '3 ready');
      const before = status(h, 'db').currentRevision;
      h.api.patch(testRefs.statefulsets, 'default', 'db', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'db:2' }] } } } });
      await waitFor(() => {
        const s = status(h, 'db');
        return s.updatedReplicas === 3 && s.readyReplicas === 3 && s.currentRevision === s.updateRevision && s.currentRevision !== before;
      }, 'update complete');
      assert.deepEqual(order, ['db-2', 'db-1', 'db-0']);
    } finally {
      watch.stop();
      kubelet.stop();
    }
  });
});
