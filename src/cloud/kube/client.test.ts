import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createSilentLogger } from '../../core/index.js';
import { startControlPlane, type ControlPlane } from '../../controlplane/index.js';
import { createKubeClient, KubeError, Resources, type KubeClient, type WatchEvent } from './index.js';

// Against the embedded control plane over real HTTPS with the admin kubeconfig's client certificate.
describe('kube client', () => {
  let dir: string;
  let cp: ControlPlane;
  let k: KubeClient;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kets-kube-client-'));
    cp = await startControlPlane({ dataDir: dir, port: 0, log: createSilentLogger() });
    k = createKubeClient({ kubeconfigPath: cp.kubeconfigPath });
  });
  after(async () => {
    await cp.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('create, get, list with selectors, 404 as undefined', async () => {
    const a = await k.create(Resources.configmaps, { metadata: { name: 'a', namespace: 'default', labels: { app: 'x' } }, data: { k: 'v' } });
    assert.ok(a.metadata.uid);
    await k.create(Resources.configmaps, { metadata: { name: 'b', namespace: 'default', labels: { app: 'y' } } });
    assert.deepEqual((await k.get(Resources.configmaps, 'default', 'a'))?.['data'], { k: 'v' });
    assert.equal(await k.get(Resources.configmaps, 'default', 'missing'), undefined);
    const l = await k.list(Resources.configmaps, { namespace: 'default', labelSelector: 'app=x' });
    assert.deepEqual(l.items.map((o) => o.metadata.name), ['a']);
    assert.equal(l.items[0]?.kind, 'ConfigMap');
    assert.match(l.resourceVersion, /^\d+$/);
    const f = await k.list(Resources.configmaps, { fieldSelector: 'metadata.name=b' });
    assert.deepEqual(f.items.map((o) => o.metadata.name), ['b']);
  });

  test('errors carry status and Status reason', async () => {
    await assert.rejects(k.create(Resources.configmaps, { metadata: { name: 'a', namespace: 'default' } }),
      (e: unknown) => e instanceof KubeError && e.status === 409 && e.reason === 'AlreadyExists');
    const a = (await k.get(Resources.configmaps, 'default', 'a'))!;
    await k.update(Resources.configmaps, { ...a, data: { k: 'v2' } });
    await assert.rejects(k.update(Resources.configmaps, { ...a, data: { k: 'v3' } }),
      (e: unknown) => e instanceof KubeError && e.status === 409 && e.reason === 'Conflict');
    await assert.rejects(k.patch(Resources.configmaps, 'default', 'nope', {}, 'merge'),
      (e: unknown) => e instanceof KubeError && e.status === 404 && e.reason === 'NotFound');
  });

  test('patch types and the status subresource of a CRD', async () => {
    const m = await k.patch(Resources.configmaps, 'default', 'a', { data: { m: '1' } }, 'merge');
    assert.equal((m['data'] as Record<string, string>)['m'], '1');
    const s = await k.patch(Resources.configmaps, 'default', 'a', { metadata: { labels: { s: '1' } } }, 'strategic');
    assert.equal(s.metadata.labels?.['s'], '1');
    const j = await k.patch(Resources.configmaps, 'default', 'a', [{ op: 'remove', path: '/data/m' }], 'json');
    assert.equal((j['data'] as Record<string, string>)['m'], undefined);
    const os = await k.create(Resources.objectsyncs, {
      apiVersion: 'reliablesyncs.kubeedge.io/v1alpha1', kind: 'ObjectSync',
      metadata: { name: 'edge-1.u1', namespace: 'default' }, spec: { objectAPIVersion: 'v1', objectKind: 'ConfigMap', objectName: 'a' },
    });
    const st = await k.update(Resources.objectsyncs, { ...os, status: { objectResourceVersion: '7' } }, 'status');
    assert.deepEqual(st['status'], { objectResourceVersion: '7' });
    const p = await k.patch(Resources.objectsyncs, 'default', 'edge-1.u1', { status: { objectResourceVersion: '8' } }, 'merge', 'status');
    assert.deepEqual(p['status'], { objectResourceVersion: '8' });
  });

  test('delete, with a missing object resolving', async () => {
    await k.delete(Resources.configmaps, 'default', 'b');
    assert.equal(await k.get(Resources.configmaps, 'default', 'b'), undefined);
    await k.delete(Resources.configmaps, 'default', 'b');
  });

  test('delete with gracePeriodSeconds 0 removes a terminating pod at once (the edge\'s final delete)', async () => {
    await k.create(Resources.pods, { metadata: { name: 'term', namespace: 'default' },
      spec: { nodeName: 'edge-1', terminationGracePeriodSeconds: 30, containers: [{ name: 'c', image: 'busybox' }] } });
    await k.delete(Resources.pods, 'default', 'term');
    assert.ok((await k.get(Resources.pods, 'default', 'term'))?.metadata.deletionTimestamp, 'graceful: marked, not gone');
    await k.delete(Resources.pods, 'default', 'term', { gracePeriodSeconds: 0 });
    assert.equal(await k.get(Resources.pods, 'default', 'term'), undefined);
  });

  test('watch streams events from a resourceVersion until aborted', async () => {
    const start = await k.list(Resources.configmaps, { namespace: 'default' });
    const ac = new AbortController();
    const events: WatchEvent[] = [];
    let seen: () => void = () => undefined;
    const gotAll = new Promise<void>((r) => { seen = r; });
    const done = k.watch(Resources.configmaps, { namespace: 'default', resourceVersion: start.resourceVersion }, (e) => {
      if (e.type !== 'BOOKMARK') events.push(e);
      if (events.length === 3) seen();
    }, ac.signal);
    await k.create(Resources.configmaps, { metadata: { name: 'w', namespace: 'default' } });
    await k.patch(Resources.configmaps, 'default', 'w', { data: { x: '1' } }, 'merge');
    await k.delete(Resources.configmaps, 'default', 'w');
    await gotAll;
    ac.abort();
    await done;
    assert.deepEqual(events.map((e) => `${e.type}:${e.object.metadata.name}`), ['ADDED:w', 'MODIFIED:w', 'DELETED:w']);
  });

  test('a bearer token from the kubeconfig is sent (a wrong one is refused with 401)', async () => {
    const path = join(dir, 'token.kubeconfig');
    const ca = Buffer.from(cp.caPem).toString('base64');
    await writeFile(path, [
      'apiVersion: v1', 'kind: Config', 'current-context: t',
      'clusters: [{name: c, cluster: {server: "' + cp.url + '", certificate-authority-data: ' + ca + '}}]',
      'users: [{name: u, user: {token: not-a-valid-token}}]',
      'contexts: [{name: t, context: {cluster: c, user: u}}]', '',
    ].join('\n'));
    const tk = createKubeClient({ kubeconfigPath: path });
    await assert.rejects(tk.get(Resources.nodes, null, 'x'), (e: unknown) => e instanceof KubeError && e.status === 401);
  });

  test('plain http with insecure-skip-tls-verify: token header, patch content types, Status errors', async () => {
    const seen: { method?: string; url?: string; auth?: string; type?: string }[] = [];
    const srv = createServer((req, res) => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, type: req.headers['content-type'] });
      req.resume();
      req.on('end', () => {
        if (req.url?.includes('/missing')) {
          res.writeHead(403, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'Forbidden', message: 'nodes "missing" is forbidden', code: 403 }));
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ metadata: { name: 'n' } }));
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const port = (srv.address() as AddressInfo).port;
      const path = join(dir, 'http.kubeconfig');
      await writeFile(path, [
        'apiVersion: v1', 'kind: Config', 'current-context: t',
        `clusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]`,
        'users: [{name: u, user: {token: secret-token}}]',
        'contexts: [{name: t, context: {cluster: c, user: u}}]', '',
      ].join('\n'));
      const hk = createKubeClient({ kubeconfigPath: path });
      await hk.patch(Resources.nodes, null, 'n', {}, 'strategic', 'status');
      await hk.patch(Resources.leases, 'kube-node-lease', 'n', {}, 'merge');
      await hk.patch(Resources.devices, 'default', 'd', [], 'json');
      await assert.rejects(hk.get(Resources.nodes, null, 'missing'),
        (e: unknown) => e instanceof KubeError && e.status === 403 && e.reason === 'Forbidden' && e.message === 'nodes "missing" is forbidden');
      assert.deepEqual(seen.map((s) => [s.method, s.url, s.type]), [
        ['PATCH', '/api/v1/nodes/n/status', 'application/strategic-merge-patch+json'],
        ['PATCH', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n', 'application/merge-patch+json'],
        ['PATCH', '/apis/devices.kubeedge.io/v1beta1/namespaces/default/devices/d', 'application/json-patch+json'],
        ['GET', '/api/v1/nodes/missing', undefined],
      ]);
      assert.ok(seen.every((s) => s.auth === 'Bearer secret-token'));
    } finally {
      srv.closeAllConnections();
      await new Promise((r) => srv.close(r));
    }
  });

  test('a bad kubeconfig path fails the first request', async () => {
    const bad = createKubeClient({ kubeconfigPath: join(dir, 'none.kubeconfig') });
    await assert.rejects(bad.get(Resources.nodes, null, 'x'));
  });
});
