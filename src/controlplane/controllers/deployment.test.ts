import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { makeControllerHarness, testRefs, waitFor, type ControllerHarness } from '../../testing/controller-harness.js';
import { intOrPercent } from './deployment-rollout.js';

function deployment(name: string, replicas: number, image = 'nginx:1.25', strategy?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: {
      replicas, selector: { matchLabels: { app: name } }, ...(strategy ? { strategy } : {}),
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
    },
  };
}

const get = (h: ControllerHarness, name: string): KubeObject => h.api.get(testRefs.deployments, 'default', name);
const status = (h: ControllerHarness, name: string): Record<string, unknown> => (get(h, name).status ?? {}) as Record<string, unknown>;
const replicaSets = (h: ControllerHarness): KubeObject[] => h.list(testRefs.replicasets, 'default');
const specReplicas = (rs: KubeObject | undefined): unknown => (rs?.spec as { replicas?: number } | undefined)?.replicas;

/** What `kubectl rollout status deployment` waits for. */
function rolloutDone(h: ControllerHarness, name: string): boolean {
  const d = get(h, name);
  const s = (d.status ?? {}) as Record<string, number | undefined | unknown[]>;
  const want = (d.spec as { replicas: number }).replicas;
  const progressing = ((s.conditions ?? []) as { type: string; reason?: string }[]).find((c) => c.type === 'Progressing');
  return (s.observedGeneration as number) >= (d.metadata.generation ?? 0) && s.updatedReplicas === want &&
    s.replicas === s.updatedReplicas && s.availableReplicas === s.updatedReplicas && progressing?.reason === 'NewReplicaSetAvailable';
}

/** A stand-in kubelet: marks one not-ready pod Ready per tick; records the rollout's extremes. */
function fakeKubelet(h: ControllerHarness): { stop(): void; maxLive: number; minReady: number; armed: boolean } {
  const stats = { maxLive: 0, minReady: Number.POSITIVE_INFINITY, armed: false, stop: () => undefined as void };
  const pods = new Map<string, KubeObject>();
  const ready = (p: KubeObject): boolean =>
    ((p.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  const watch = h.api.watch(testRefs.pods, { namespace: 'default' }, (ev) => {
    const p = ev.object as KubeObject;
    if (ev.type === 'DELETED') pods.delete(p.metadata.name ?? '');
    else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') pods.set(p.metadata.name ?? '', p);
    const live = [...pods.values()].filter((x) => !x.metadata.deletionTimestamp);
    if (!stats.armed) return;
    stats.maxLive = Math.max(stats.maxLive, live.length);
    stats.minReady = Math.min(stats.minReady, live.filter(ready).length);
  });
  const timer = setInterval(() => {
    const next = [...pods.values()].find((p) => !p.metadata.deletionTimestamp && !ready(p));
    if (next) h.setPodReady('default', next.metadata.name ?? '');
  }, 3);
  stats.stop = () => { clearInterval(timer); watch.stop(); };
  return stats;
}

describe('deployment controller', () => {
  let h: ControllerHarness;
  beforeEach(() => { h = makeControllerHarness(); });
  afterEach(async () => { await h.close(); });

  test('creates a ReplicaSet named by the template hash, and its pods', async () => {
    await h.start(['deployment', 'replicaset']);
    const d = h.api.create(testRefs.deployments, 'default', deployment('web', 2));
    const [rs] = await waitFor(() => (replicaSets(h).length === 1 ? replicaSets(h) : undefined), 'replicaset');
    const hash = rs?.metadata.labels?.['pod-template-hash'] ?? '';
    assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.equal(rs?.metadata.name, `web-${hash}`);
    assert.deepEqual((rs?.spec as { selector: unknown }).selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
    assert.equal(rs?.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.deepEqual(rs?.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const pods = await waitFor(() => { const p = h.list(testRefs.pods, 'default'); return p.length === 2 ? p : undefined; }, 'pods');
    assert.equal(pods[0]?.metadata.labels?.['pod-template-hash'], hash);
    await waitFor(() => get(h, 'web').metadata.annotations?.['deployment.kubernetes.io/revision'] === '1', 'deployment revision');
    const event = h.list(testRefs.events, 'default').find((e) => e.reason === 'ScalingReplicaSet');
    assert.equal(event?.message, `Scaled up replica set web-${hash} from 0 to 2`);
  });

  test('scales and reaches a status kubectl rollout status accepts', async () => {
    await h.start(['deployment', 'replicaset']);
    const kubelet = fakeKubelet(h);
    try {
      h.api.create(testRefs.deployments, 'default', deployment('web', 2));
      await waitFor(() => rolloutDone(h, 'web'), 'rollout of 2');
      const s = status(h, 'web');
      assert.equal(s.readyReplicas, 2);
      assert.equal(s.unavailableReplicas, 0);
      const available = (s.conditions as { type: string; status: string; reason: string }[]).find((c) => c.type === 'Available');
      assert.deepEqual([available?.status, available?.reason], ['True', 'MinimumReplicasAvailable']);
      h.api.patch(testRefs.deployments, 'default', 'web', 'merge', { spec: { replicas: 5 } });
      await waitFor(() => rolloutDone(h, 'web') && status(h, 'web').availableReplicas === 5, 'scale to 5');
      h.api.patch(testRefs.deployments, 'default', 'web', 'merge', { spec: { replicas: 1 } });
      await waitFor(() => rolloutDone(h, 'web') && h.list(testRefs.pods, 'default').length === 1, 'scale to 1');
      assert.equal(replicaSets(h).length, 1);
    } finally {
      kubelet.stop();
    }
  });

  test('rolling update stays within maxSurge and maxUnavailable', async () => {
    await h.start(['deployment', 'replicaset']);
    const kubelet = fakeKubelet(h);
    try {
      h.api.create(testRefs.deployments, 'default', deployment('web', 4, 'nginx:1.25', { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } }));
      await waitFor(() => rolloutDone(h, 'web'), 'first rollout');
      kubelet.armed = true;
      h.api.patch(testRefs.deployments, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.26' }] } } } });
      await waitFor(() => rolloutDone(h, 'web') && get(h, 'web').metadata.generation === 2, 'second rollout');
      assert.ok(kubelet.maxLive <= 5, `at most replicas+maxSurge pods, saw ${kubelet.maxLive}`);
      assert.ok(kubelet.minReady >= 3, `at least replicas-maxUnavailable ready, saw ${kubelet.minReady}`);
      const sets = replicaSets(h);
      assert.equal(sets.length, 2);
      const newRs = sets.find((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2');
      const oldRs = sets.find((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === '1');
      assert.equal(specReplicas(newRs), 4);
      assert.equal(specReplicas(oldRs), 0);
      const pods = h.list(testRefs.pods, 'default');
      assert.ok(pods.every((p) => (p.spec as { containers: { image: string }[] }).containers[0]?.image === 'nginx:1.26'));
    } finally {
      kubelet.stop();
    }
  });

  test('Recreate removes every old pod before creating new ones', async () => {
    await h.start(['deployment', 'replicaset']);
    const kubelet = fakeKubelet(h);
    try {
      h.api.create(testRefs.deployments, 'default', deployment('db', 2, 'postgres:15', { type: 'Recreate' }));
      await waitFor(() => rolloutDone(h, 'db'), 'first rollout');
      const mixed: string[] = [];
      const watch = h.api.watch(testRefs.pods, { namespace: 'default' }, () => {
        const images = new Set(h.store.list('pods', 'default').items
          .map((p) => (p.spec as { containers: { image: string }[] }).containers[0]?.image));
        if (images.size > 1) mixed.push([...images].join(','));
      });
      h.api.patch(testRefs.deployments, 'default', 'db', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'postgres:16' }] } } } });
      await waitFor(() => rolloutDone(h, 'db') && get(h, 'db').metadata.generation === 2, 'recreate rollout');
      watch.stop();
      assert.deepEqual(mixed, []);
    } finally {
      kubelet.stop();
    }
  });

  test('pause holds a template change; resume rolls it out; history is trimmed; rollback reuses the old ReplicaSet', async () => {
    await h.start(['deployment', 'replicaset']);
    const kubelet = fakeKubelet(h);
    try {
      const d = deployment('app', 1);
      (d.spec as Record<string, unknown>).revisionHistoryLimit = 1;
      h.api.create(testRefs.deployments, 'default', d);
      await waitFor(() => rolloutDone(h, 'app'), 'v1');
      const image = (tag: string): unknown => ({ spec: { template: { spec: { containers: [{ name: 'c', image: `nginx:${tag}` }] } } } });
      h.api.patch(testRefs.deployments, 'default', 'app', 'merge', { spec: { paused: true } });
      h.api.patch(testRefs.deployments, 'default', 'app', 'merge', image('2'));
      const paused = await waitFor(() => {
        const c = ((status(h, 'app').conditions ?? []) as { type: string; reason: string }[]).find((x) => x.type === 'Progressing');
        return c?.reason === 'DeploymentPaused' ? c : undefined;
      }, 'paused condition');
      assert.equal(paused.reason, 'DeploymentPaused');
      assert.equal(replicaSets(h).length, 1);
      h.api.patch(testRefs.deployments, 'default', 'app', 'merge', { spec: { paused: false } });
      await waitFor(() => rolloutDone(h, 'app') && replicaSets(h).length === 2, 'v2 after resume');
      h.api.patch(testRefs.deployments, 'default', 'app', 'merge', image('3'));
      await waitFor(() => rolloutDone(h, 'app') && get(h, 'app').metadata.annotations?.['deployment.kubernetes.io/revision'] === '3', 'v3');
      await waitFor(() => replicaSets(h).length === 2, 'history trimmed to 1 old ReplicaSet');
      const v2 = replicaSets(h).find((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2');
      assert.ok(v2, 'the newest old ReplicaSet is kept');
      h.api.patch(testRefs.deployments, 'default', 'app', 'merge', image('2'));
      await waitFor(() => rolloutDone(h, 'app') &&
        h.api.get(testRefs.replicasets, 'default', v2.metadata.name ?? '').metadata.annotations?.['deployment.kubernetes.io/revision'] === '4', 'rollback');
      assert.equal(specReplicas(h.api.get(testRefs.replicasets, 'default', v2.metadata.name ?? '')), 1);
    } finally {
      kubelet.stop();
    }
  });
});

describe('intOrPercent', () => {
  test('rounds surge up and unavailability down', () => {
    assert.equal(intOrPercent('25%', 10, true), 3);
    assert.equal(intOrPercent('25%', 10, false), 2);
    assert.equal(intOrPercent(2, 10, false), 2);
    assert.equal(intOrPercent('3', 10, false), 3);
    assert.equal(intOrPercent('x%', 10, true), 0);
  });
});
