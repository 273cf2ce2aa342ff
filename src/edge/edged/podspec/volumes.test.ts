import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PodConfigError } from '../pod-contracts.js';
import type { Json, ObjectSource, Pod } from '../pod-contracts.js';
import { podDirs } from './pod-dirs.js';
import { createVolumeManager } from './volumes.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const node = { nodeName: 'edge-1', nodeIP: '10.0.0.5', allocatable: { cpu: 2, memory: 4 * 1024 ** 3 } };

interface World { configMaps: Map<string, Json>; secrets: Map<string, Json>; token?: () => Promise<string>; tokenCalls: number }

function sourceOf(w: World): ObjectSource {
  return {
    configMap: async (ns, name) => w.configMaps.get(`${ns}/${name}`),
    secret: async (ns, name) => w.secrets.get(`${ns}/${name}`),
    serviceAccountToken: async () => {
      w.tokenCalls++;
      if (!w.token) throw new Error('cloud unreachable');
      return { token: await w.token(), expirationTimestamp: new Date(Date.now() + 3600_000).toISOString() };
    },
  };
}

function podWith(volumes: Json[], uid = 'uid-1'): Pod {
  return { metadata: { name: 'p', namespace: 'ns', uid, labels: { a: 'b' } }, spec: { volumes, containers: [{ name: 'c', image: 'x' }] } };
}

async function setup(fn: (ctx: { root: string; w: World; vm: ReturnType<typeof createVolumeManager> }) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'podspec-vol-'));
  const w: World = { configMaps: new Map(), secrets: new Map(), tokenCalls: 0 };
  try {
    await fn({ root, w, vm: createVolumeManager({ dirs: podDirs(root), source: sourceOf(w), node }) });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const modeOf = async (p: string): Promise<number> => (await stat(p)).mode & 0o777;

test('configMap volume: all keys, binaryData, default mode 0644; update in place', () => setup(async ({ root, w, vm }) => {
  w.configMaps.set('ns/cfg', { data: { 'a.conf': 'A' }, binaryData: { 'b.bin': b64('\x00\x01') } });
  const pod = podWith([{ name: 'cfg', configMap: { name: 'cfg' } }]);
  const paths = await vm.setUp(pod);
  const dir = join(root, 'pods/uid-1/volumes/kubernetes.io~configmap/cfg');
  assert.equal(paths.get('cfg'), dir);
  assert.equal(await readFile(join(dir, 'a.conf'), 'utf8'), 'A');
  assert.deepEqual([...(await readFile(join(dir, 'b.bin')))], [0, 1]);
  assert.equal(await modeOf(join(dir, 'a.conf')), 0o644);
  const before = await readlink(join(dir, '..data'));
  await vm.setUp(pod);
  assert.equal(await readlink(join(dir, '..data')), before, 'unchanged content is not rewritten');
  w.configMaps.set('ns/cfg', { data: { 'a.conf': 'A2' } });
  await vm.setUp(pod);
  assert.equal(await readFile(join(dir, 'a.conf'), 'utf8'), 'A2');
  assert.deepEqual((await readdir(dir)).filter((e) => !e.startsWith('..')), ['a.conf']);
  assert.equal((await readdir(dir)).filter((e) => e.startsWith('..2')).length, 1);
}));

test('items with paths and modes; secret data decoded; defaultMode', () => setup(async ({ root, w, vm }) => {
  w.configMaps.set('ns/cfg', { data: { k1: 'one', k2: 'two' } });
  w.secrets.set('ns/s', { type: 'Opaque', data: { user: b64('admin'), pass: b64('pw') } });
  const pod = podWith([
    { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'k1', path: 'nested/one.txt', mode: 0o600 }] } },
    { name: 'sec', secret: { secretName: 's', defaultMode: 0o400 } },
  ]);
  await vm.setUp(pod);
  const cfg = join(root, 'pods/uid-1/volumes/kubernetes.io~configmap/cfg');
  assert.deepEqual((await readdir(cfg)).filter((e) => !e.startsWith('..')), ['nested']);
  assert.equal(await readFile(join(cfg, 'nested/one.txt'), 'utf8'), 'one');
  assert.equal(await modeOf(join(cfg, 'nested/one.txt')), 0o600);
  const sec = join(root, 'pods/uid-1/volumes/kubernetes.io~secret/sec');
  assert.equal(await readFile(join(sec, 'pass'), 'utf8'), 'pw');
  assert.equal(await modeOf(join(sec, 'user')), 0o400);
}));

test('missing objects: optional gives an empty dir, required is FailedMount; other volumes still set up', () => setup(async ({ root, w, vm }) => {
  w.configMaps.set('ns/ok', { data: { x: '1' } });
  const optional = podWith([{ name: 'o', configMap: { name: 'gone', optional: true } }, { name: 'os', secret: { secretName: 'gone', optional: true } }]);
  const paths = await vm.setUp(optional);
  assert.deepEqual((await readdir(paths.get('o') ?? '')).filter((e) => !e.startsWith('..')), []);
  const required = podWith([{ name: 'r', configMap: { name: 'gone' } }, { name: 'ok', configMap: { name: 'ok' } }], 'uid-2');
  await assert.rejects(vm.setUp(required), (err: unknown) => {
    assert.ok(err instanceof PodConfigError);
    assert.equal(err.reason, 'FailedMount');
    assert.equal(err.message, 'MountVolume.SetUp failed for volume "r" : configmap "gone" not found');
    return true;
  });
  assert.equal(await readFile(join(root, 'pods/uid-2/volumes/kubernetes.io~configmap/ok/x'), 'utf8'), '1');
  const badKey = podWith([{ name: 'k', configMap: { name: 'ok', items: [{ key: 'nokey', path: 'p' }] } }], 'uid-3');
  await assert.rejects(vm.setUp(badKey), { reason: 'FailedMount', message: /configmap references non-existent config key: nokey/ });
  const secret = podWith([{ name: 's', secret: { secretName: 'nos' } }], 'uid-4');
  await assert.rejects(vm.setUp(secret), { reason: 'FailedMount', message: /secret "nos" not found/ });
}));

const kubeApiAccess = {
  name: 'kube-api-access-abcde',
  projected: {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  },
};

test('projected kube-api-access: token, ca.crt and namespace; token cached; kept when the cloud is gone', () => setup(async ({ root, w, vm }) => {
  w.configMaps.set('ns/kube-root-ca.crt', { data: { 'ca.crt': 'PEM' } });
  let n = 0;
  w.token = async () => `tok-${++n}`;
  const pod = podWith([kubeApiAccess]);
  await vm.setUp(pod);
  const dir = join(root, 'pods/uid-1/volumes/kubernetes.io~projected/kube-api-access-abcde');
  assert.equal(await readFile(join(dir, 'token'), 'utf8'), 'tok-1');
  assert.equal(await readFile(join(dir, 'ca.crt'), 'utf8'), 'PEM');
  assert.equal(await readFile(join(dir, 'namespace'), 'utf8'), 'ns');
  await vm.setUp(pod);
  assert.equal(w.tokenCalls, 1, 'a fresh token is reused');
  assert.ok(vm.uses(pod, 'configmap', 'ns', 'kube-root-ca.crt'));
  // A new volume manager (edgecore restart) with the cloud unreachable keeps the token on disk.
  delete w.token;
  const vm2 = createVolumeManager({ dirs: podDirs(root), source: sourceOf(w), node });
  await vm2.setUp(pod);
  assert.equal(await readFile(join(dir, 'token'), 'utf8'), 'tok-1');
  await assert.rejects(vm2.setUp(podWith([kubeApiAccess], 'uid-new')), { reason: 'FailedMount', message: /failed to fetch token: cloud unreachable/ });
}));

test('downwardAPI volume: labels formatted, resourceFieldRef by container', () => setup(async ({ root, vm }) => {
  const pod = podWith([{ name: 'info', downwardAPI: { items: [
    { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
    { path: 'cpu', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu', divisor: '1m' } },
  ] } }]);
  await vm.setUp(pod);
  const dir = join(root, 'pods/uid-1/volumes/kubernetes.io~downward-api/info');
  assert.equal(await readFile(join(dir, 'labels'), 'utf8'), 'a="b"');
  assert.equal(await readFile(join(dir, 'cpu'), 'utf8'), '2000');
}));

test('emptyDir and hostPath types; tearDown never touches hostPath targets', () => setup(async ({ root, vm }) => {
  const host = join(root, 'host');
  await mkdir(host);
  await writeFile(join(host, 'keep'), 'k');
  const pod = podWith([
    { name: 'scratch', emptyDir: {} },
    { name: 'mem', emptyDir: { medium: 'Memory' } },
    { name: 'h', hostPath: { path: host } },
    { name: 'dc', hostPath: { path: join(root, 'made/dir'), type: 'DirectoryOrCreate' } },
    { name: 'fc', hostPath: { path: join(host, 'new.file'), type: 'FileOrCreate' } },
    { name: 'd', hostPath: { path: host, type: 'Directory' } },
  ]);
  const paths = await vm.setUp(pod);
  assert.equal(paths.get('scratch'), join(root, 'pods/uid-1/volumes/kubernetes.io~empty-dir/scratch'));
  assert.equal(await modeOf(paths.get('scratch') ?? ''), 0o777);
  assert.equal(paths.get('h'), host);
  assert.ok((await stat(join(root, 'made/dir'))).isDirectory());
  assert.ok((await stat(join(host, 'new.file'))).isFile());
  for (const [type, path, msg] of [['Directory', join(host, 'keep'), 'is not a directory'], ['File', host, 'is not a file'], ['Socket', host, 'is not a socket file'], ['Directory', join(root, 'nope'), 'is not a directory']] as const) {
    await assert.rejects(vm.setUp(podWith([{ name: 'x', hostPath: { path, type } }], 'uid-h')), { reason: 'FailedMount', message: new RegExp(`hostPath type check failed: .* ${msg}`) });
  }
  await vm.tearDown('uid-1');
  await assert.rejects(stat(join(root, 'pods/uid-1')));
  assert.equal(await readFile(join(host, 'keep'), 'utf8'), 'k');
}));

test('uses: configMap, secret and projected sources of the pod namespace only', () => setup(async ({ vm }) => {
  const pod = podWith([
    { name: 'a', configMap: { name: 'cm1' } },
    { name: 'b', secret: { secretName: 's1' } },
    { name: 'c', projected: { sources: [{ secret: { name: 's2' } }, { configMap: { name: 'cm2' } }] } },
  ]);
  assert.ok(vm.uses(pod, 'configmap', 'ns', 'cm1'));
  assert.ok(vm.uses(pod, 'configmap', 'ns', 'cm2'));
  assert.ok(vm.uses(pod, 'secret', 'ns', 's1'));
  assert.ok(vm.uses(pod, 'secret', 'ns', 's2'));
  assert.ok(!vm.uses(pod, 'secret', 'ns', 'cm1'));
  assert.ok(!vm.uses(pod, 'configmap', 'other', 'cm1'));
  assert.ok(!vm.uses(pod, 'configmap', 'ns', 'nope'));
}));

test('unsupported volume types are FailedMount', () => setup(async ({ vm }) => {
  await assert.rejects(vm.setUp(podWith([{ name: 'pvc', persistentVolumeClaim: { claimName: 'x' } }])), { reason: 'FailedMount', message: /unsupported volume type/ });
}));
