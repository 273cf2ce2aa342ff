// The real kubectl against the node's metaserver, with no cloud at all: discovery, get in its
// output forms, label selectors and get -w, answered from a small in-memory edge store.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSilentLogger } from '../../src/core/index.js';
import { startMetaServer, type MetaServer } from '../../src/edge/metaserver/index.js';
import { FakeLocalPodStatus, FakeMetaStore } from '../../src/testing/fake-meta-store.js';
import { kubectl, kubectlStream } from '../harness/kubectl.js';

const created = new Date(Date.now() - 90_000).toISOString();
const running = { ready: true, restartCount: 0, state: { running: { startedAt: created } } };
const pod = (name: string, ns: string, labels: Record<string, string>, status: Record<string, unknown>, rv: string) => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: ns, uid: `uid-${name}`, resourceVersion: rv, creationTimestamp: created, labels },
  spec: { nodeName: 'edge-1', containers: [{ name: 'app', image: 'busybox' }] },
  status,
});

describe('kubectl against the metaserver, offline', () => {
  const store = new FakeMetaStore();
  const local = new FakeLocalPodStatus();
  let server: MetaServer;
  let dir: string;
  let kubeconfig: string;
  let serverUrl: string;

  before(async () => {
    store.put('pod', pod('web-1', 'default', { app: 'web' }, { phase: 'Running', podIP: '10.88.0.7', containerStatuses: [{ name: 'app', ...running }] }, '100'));
    store.put('pod', pod('db-1', 'default', { app: 'db' }, { phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }, '101'));
    store.put('pod', pod('agent', 'kube-system', { app: 'agent' }, { phase: 'Pending' }, '102'));
    store.put('node', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'edge-1', resourceVersion: '90', creationTimestamp: created, labels: { 'node-role.kubernetes.io/edge': '' } },
      status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '10.0.0.5' }],
        nodeInfo: { kubeletVersion: 'v1.31.0-kubeedge', osImage: 'Debian', kernelVersion: '6.1', containerRuntimeVersion: 'containerd://1.6.20' } } });
    store.put('configmap', { metadata: { name: 'app-config', namespace: 'default', resourceVersion: '95', creationTimestamp: created }, data: { a: '1', b: '2' } });
    // kubectl must ignore the user's config: an empty kubeconfig of our own, and --server.
    dir = mkdtempSync(join(tmpdir(), 'metaserver-kubectl-'));
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, '');
    server = await startMetaServer({ port: 0, store, localPodStatus: local, hub: { enqueue() {} }, nodeName: 'edge-1', log: createSilentLogger() });
    serverUrl = `http://127.0.0.1:${server.port}`;
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const k = async (...args: string[]): Promise<string> => {
    const r = await kubectl(kubeconfig, ['--server', serverUrl, ...args]);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  const lines = (out: string): string[] => out.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' '));

  test('get pods -A: every namespace, STATUS as kubectl computes it', async () => {
    const out = lines(await k('get', 'pods', '-A'));
    assert.equal(out[0], 'NAMESPACE NAME READY STATUS RESTARTS AGE');
    assert.match(out[1] ?? '', /^default db-1 0\/1 CrashLoopBackOff 4 \S+$/);
    assert.match(out[2] ?? '', /^default web-1 1\/1 Running 0 \S+$/);
    assert.match(out[3] ?? '', /^kube-system agent 0\/1 Pending 0 \S+$/);
  });

  test('get pods -o wide shows IP and NODE', async () => {
    const out = lines(await k('get', 'pods', '-o', 'wide'));
    assert.equal(out[0], 'NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES');
    assert.match(out.find((l) => l.startsWith('web-1')) ?? '', /^web-1 1\/1 Running 0 \S+ 10\.88\.0\.7 edge-1 <none> <none>$/);
  });

  test('get nodes, get cm, get devices (empty)', async () => {
    const nodes = lines(await k('get', 'nodes'));
    assert.equal(nodes[0], 'NAME STATUS ROLES AGE VERSION');
    assert.match(nodes[1] ?? '', /^edge-1 Ready edge \S+ v1\.31\.0-kubeedge$/);
    const cms = lines(await k('get', 'cm'));
    assert.equal(cms[0], 'NAME DATA AGE');
    assert.match(cms[1] ?? '', /^app-config 2 \S+$/);
    const devices = await kubectl(kubeconfig, ['--server', serverUrl, 'get', 'devices']);
    assert.equal(devices.code, 0, devices.stderr);
    assert.match(devices.stderr, /No resources found in default namespace/);
  });

  test('get pod x -o json, and a missing pod is NotFound', async () => {
    const obj = JSON.parse(await k('get', 'pod', 'web-1', '-o', 'json')) as { kind: string; metadata: { name: string; resourceVersion: string }; status: { podIP: string } };
    assert.equal(obj.kind, 'Pod');
    assert.equal(obj.metadata.name, 'web-1');
    assert.equal(obj.metadata.resourceVersion, '100');
    assert.equal(obj.status.podIP, '10.88.0.7');
    const missing = await kubectl(kubeconfig, ['--server', serverUrl, 'get', 'pod', 'nope']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /pods "nope" not found/);
  });

  test('get pods -l app=web', async () => {
    const out = lines(await k('get', 'pods', '-l', 'app=web'));
    assert.deepEqual(out.map((l) => l.split(' ')[0]), ['NAME', 'web-1']);
  });

  test('get pods -w prints the new pod and the node-local status change', async () => {
    const w = kubectlStream(kubeconfig, ['--server', serverUrl, 'get', 'pods', '-w']);
    try {
      const seen = async (re: RegExp): Promise<void> => {
        for (let i = 0; i < 600 && !re.test(w.output()); i++) await new Promise((r) => setTimeout(r, 50));
        assert.match(w.output(), re);
      };
      await seen(/web-1\s+1\/1\s+Running/);
      store.put('pod', pod('web-2', 'default', { app: 'web' }, { phase: 'Pending' }, '200'));
      await seen(/web-2\s+0\/1\s+Pending/);
      local.set('default', 'web-2', { phase: 'Running', containerStatuses: [{ name: 'app', ...running }] });
      await seen(/web-2\s+1\/1\s+Running/);
    } finally {
      await w.stop();
    }
  });
});
