import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerMounts, Json, Pod, PodContainer } from '../pod-contracts.js';
import { containerMounts } from './mounts.js';
import { podDirs } from './pod-dirs.js';

// The exported function satisfies the contract (its extra options parameter is optional).
const contract: ContainerMounts = containerMounts;

function pod(container: PodContainer, spec: Json = {}): Pod {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'u1' },
    spec: {
      containers: [container],
      volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'c' } }, { name: 'host', hostPath: { path: '/tmp' } }],
      ...spec,
    },
  };
}

async function withRoot(fn: (root: string, volumes: Map<string, string>) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'podspec-mnt-'));
  const volumes = new Map([['data', join(root, 'vol-data')], ['cfg', join(root, 'vol-cfg')], ['host', join(root, 'host')]]);
  for (const p of volumes.values()) await mkdir(p);
  try { await fn(root, volumes); } finally { await rm(root, { recursive: true, force: true }); }
}

test('volumeMounts: readOnly, API volumes forced read-only, propagation, termination log last', () => withRoot(async (root, volumes) => {
  const c: PodContainer = { name: 'app', volumeMounts: [
    { name: 'data', mountPath: '/data' },
    { name: 'cfg', mountPath: '/etc/cfg' },
    { name: 'host', mountPath: '/h', readOnly: true, mountPropagation: 'HostToContainer' },
  ] };
  const dirs = podDirs(root);
  const mounts = contract(pod(c), c, volumes, dirs);
  assert.deepEqual(mounts.slice(0, 3), [
    { containerPath: '/data', hostPath: join(root, 'vol-data'), readonly: false },
    { containerPath: '/etc/cfg', hostPath: join(root, 'vol-cfg'), readonly: true },
    { containerPath: '/h', hostPath: join(root, 'host'), readonly: true, propagation: 'hostToContainer' },
  ]);
  const term = mounts[3];
  assert.equal(mounts.length, 4);
  assert.equal(term?.containerPath, '/dev/termination-log');
  assert.match(term?.hostPath ?? '', new RegExp(`^${join(root, 'pods/u1/containers/app')}/[0-9a-f]{8}$`));
  assert.equal((await stat(term?.hostPath ?? '')).mode & 0o777, 0o666);
  const again = contract(pod(c), c, volumes, dirs);
  assert.notEqual(again[3]?.hostPath, term?.hostPath, 'one termination file per container instance');
}));

test('custom or empty terminationMessagePath', () => withRoot(async (root, volumes) => {
  const c1: PodContainer = { name: 'a', terminationMessagePath: '/tmp/msg' };
  assert.equal(containerMounts(pod(c1), c1, volumes, podDirs(root)).at(-1)?.containerPath, '/tmp/msg');
  const c2: PodContainer = { name: 'b', terminationMessagePath: '' };
  assert.deepEqual(containerMounts(pod(c2), c2, volumes, podDirs(root)), []);
}));

test('subPath and subPathExpr (from the resolved env, or from literal/fieldRef env)', () => withRoot(async (root, volumes) => {
  const c: PodContainer = {
    name: 'app',
    env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'DIR', value: 'logs-$(POD)' }],
    volumeMounts: [
      { name: 'data', mountPath: '/a', subPath: 'x/y' },
      { name: 'data', mountPath: '/b', subPathExpr: '$(DIR)' },
    ],
  };
  const m1 = containerMounts(pod(c), c, volumes, podDirs(root));
  assert.equal(m1[0]?.hostPath, join(root, 'vol-data/x/y'));
  assert.ok((await stat(join(root, 'vol-data/x/y'))).isDirectory(), 'a missing subPath is created');
  assert.equal(m1[1]?.hostPath, join(root, 'vol-data/logs-web'));
  const m2 = containerMounts(pod(c), c, volumes, podDirs(root), { env: [{ key: 'DIR', value: 'given' }] });
  assert.equal(m2[1]?.hostPath, join(root, 'vol-data/given'));
  assert.throws(() => containerMounts(pod(c), c, volumes, podDirs(root), { env: [] }),
    { name: 'PodConfigError', reason: 'CreateContainerConfigError', message: /missing value for DIR/ });
}));

test('bad subPaths, escaping symlinks and unknown volumes are CreateContainerConfigError', () => withRoot(async (root, volumes) => {
  await symlink('/etc', join(root, 'vol-data/evil'));
  for (const vm of [{ name: 'data', mountPath: '/x', subPath: '../up' }, { name: 'data', mountPath: '/x', subPath: '/abs' },
    { name: 'data', mountPath: '/x', subPath: 'evil' }, { name: 'nope', mountPath: '/x' },
    { name: 'host', mountPath: '/x', mountPropagation: 'Bidirectional' }]) {
    const c: PodContainer = { name: 'app', volumeMounts: [vm] };
    assert.throws(() => containerMounts(pod(c), c, volumes, podDirs(root)), { reason: 'CreateContainerConfigError' });
  }
  const c: PodContainer = { name: 'app', volumeMounts: [{ name: 'nope', mountPath: '/x' }] };
  assert.throws(() => containerMounts(pod(c), c, volumes, podDirs(root)), { message: 'cannot find volume "nope" to mount into container "app"' });
  const priv: PodContainer = { name: 'app', securityContext: { privileged: true }, volumeMounts: [{ name: 'host', mountPath: '/x', mountPropagation: 'Bidirectional' }] };
  assert.equal(containerMounts(pod(priv), priv, volumes, podDirs(root))[0]?.propagation, 'bidirectional');
}));

test('managed /etc/hosts for pod-network pods with known IPs, not for host network', () => withRoot(async (root, volumes) => {
  const c: PodContainer = { name: 'app' };
  const p = pod(c, { hostAliases: [{ ip: '10.1.1.1', hostnames: ['db', 'db.local'] }] });
  const mounts = containerMounts(p, c, volumes, podDirs(root), { podIPs: ['172.16.0.4'] });
  const hosts = mounts.find((m) => m.containerPath === '/etc/hosts');
  assert.equal(hosts?.hostPath, join(root, 'pods/u1/etc-hosts'));
  const text = await readFile(hosts?.hostPath ?? '', 'utf8');
  assert.match(text, /^# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n/);
  assert.match(text, /\n172.16.0.4\tweb\n/);
  assert.match(text, /\n10.1.1.1\tdb\tdb.local\n$/);
  const hn = pod(c, { hostNetwork: true });
  assert.ok(!containerMounts(hn, c, volumes, podDirs(root), { podIPs: ['10.0.0.5'] }).some((m) => m.containerPath === '/etc/hosts'));
  assert.ok(!containerMounts(p, c, volumes, podDirs(root)).some((m) => m.containerPath === '/etc/hosts'));
}));
