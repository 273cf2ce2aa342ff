// @kubernetes/client-node, unchanged, against the embedded control plane: typed clients, and informers
// that keep working across a control-plane restart (resuming from their resourceVersion).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startCloudcore, type CloudcoreProcess } from '../harness/cloudcore.js';

async function until(what: string, fn: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('@kubernetes/client-node', () => {
  let cc: CloudcoreProcess;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  before(async () => {
    cc = await startCloudcore();
    kc = new k8s.KubeConfig();
    kc.loadFromFile(cc.kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
  });
  after(async () => { await cc?.dispose(); });

  test('typed CRUD and a 404 as an ApiException', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'typed' }, data: { a: '1' } } });
    assert.ok(created.metadata?.uid);
    const read = await core.readNamespacedConfigMap({ name: 'typed', namespace: 'default' });
    assert.equal(read.data?.a, '1');
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const list = await apps.listDeploymentForAllNamespaces();
    assert.ok(Array.isArray(list.items));
    await assert.rejects(core.readNamespacedConfigMap({ name: 'missing', namespace: 'default' }), (err: unknown) => (err as { code?: number }).code === 404);
    await core.deleteNamespacedConfigMap({ name: 'typed', namespace: 'default' });
  });

  test('an informer sees adds, updates and deletes, and keeps working across a restart', async () => {
    const seen: string[] = [];
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/configmaps',
      () => core.listNamespacedConfigMap({ namespace: 'default' }));
    informer.on('add', (o) => seen.push(`add:${o.metadata?.name}`));
    informer.on('update', (o) => seen.push(`update:${o.metadata?.name}:${o.data?.v}`));
    informer.on('delete', (o) => seen.push(`delete:${o.metadata?.name}`));
    // The documented client-node pattern: an informer stops on a transport error; restart it.
    let stopped = false;
    informer.on('error', () => { if (!stopped) setTimeout(() => { if (!stopped) void informer.start().catch(() => undefined); }, 500); });
    await informer.start();
    try {
      await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'inf-1' }, data: { v: '1' } } });
      await until('add of inf-1', () => seen.includes('add:inf-1'));
      await core.patchNamespacedConfigMap({ name: 'inf-1', namespace: 'default', body: { data: { v: '2' } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
      await until('update of inf-1', () => seen.includes('update:inf-1:2'));

      await cc.restart();

      await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'inf-2' }, data: { v: '1' } } });
      await until('add of inf-2 after the restart', () => seen.includes('add:inf-2'));
      await core.deleteNamespacedConfigMap({ name: 'inf-1', namespace: 'default' });
      await until('delete of inf-1 after the restart', () => seen.includes('delete:inf-1'));
      assert.equal(seen.filter((s) => s === 'add:inf-1').length, 1, `inf-1 added once: ${seen.join(' ')}`);
      assert.deepEqual(informer.list().map((o) => o.metadata?.name).filter((n) => n?.startsWith('inf-')), ['inf-2']);
    } finally {
      stopped = true;
      await informer.stop();
    }
  });
});
