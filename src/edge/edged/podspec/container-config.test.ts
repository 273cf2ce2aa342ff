import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json, Pod, PodContainer } from '../pod-contracts.js';
import { RuntimeAnnotations, RuntimeLabels } from '../../runtime/types.js';
import { buildContainerConfig, containerConfig, containerSpecHash } from './container-config.js';
import { linuxResources, milliCpuToShares, milliCpuToQuota, oomScoreAdj, podQosClass } from './resources.js';

const GiB = 1024 ** 3;

function pod(containers: Json[], spec: Json = {}): Pod {
  return { metadata: { name: 'web', namespace: 'ns', uid: 'u1' }, spec: { containers, ...spec } };
}

test('kubelet cpu formulas', () => {
  assert.equal(milliCpuToShares(0), 2);
  assert.equal(milliCpuToShares(1), 2);
  assert.equal(milliCpuToShares(250), 256);
  assert.equal(milliCpuToShares(1000), 1024);
  assert.equal(milliCpuToShares(1_000_000), 262144);
  assert.equal(milliCpuToQuota(0), 0);
  assert.equal(milliCpuToQuota(5), 1000);
  assert.equal(milliCpuToQuota(500), 50000);
  assert.equal(milliCpuToQuota(2000), 200000);
});

test('resources: request and limit, limit only, none', () => {
  const both: PodContainer = { name: 'a', resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '500m', memory: '1Gi' } } };
  assert.deepEqual(linuxResources(pod([both]), both, 8 * GiB), { cpuShares: 256, cpuPeriod: 100000, cpuQuota: 50000, memoryLimitInBytes: GiB, oomScoreAdj: 938 });
  const limitOnly: PodContainer = { name: 'b', resources: { limits: { cpu: '1', memory: '256Mi' } } };
  assert.deepEqual(linuxResources(pod([limitOnly]), limitOnly, 8 * GiB), { cpuShares: 1024, cpuPeriod: 100000, cpuQuota: 100000, memoryLimitInBytes: 256 * 1024 ** 2, oomScoreAdj: -997 });
  const none: PodContainer = { name: 'c' };
  assert.deepEqual(linuxResources(pod([none]), none, 8 * GiB), { cpuShares: 2, oomScoreAdj: 1000 });
});

test('qos classes and oom score adjust', () => {
  const g: Json = { name: 'g', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } };
  const b: Json = { name: 'b', resources: { requests: { memory: '1Gi' } } };
  const e: Json = { name: 'e' };
  assert.equal(podQosClass(pod([g])), 'Guaranteed');
  assert.equal(podQosClass(pod([g, e])), 'Burstable');
  assert.equal(podQosClass(pod([e])), 'BestEffort');
  assert.equal(podQosClass(pod([{ name: 'x', resources: { limits: { cpu: '1' } } }])), 'Burstable');
  assert.equal(oomScoreAdj(pod([b]), { name: 'b', ...b }, 4 * GiB), 750);
  const big = { name: 'big', resources: { requests: { memory: '4Gi' } } };
  assert.equal(oomScoreAdj(pod([big]), big, 4 * GiB), 3, 'burstable stays above guaranteed');
  const tiny = { name: 't', resources: { requests: { cpu: '100m' } } };
  assert.equal(oomScoreAdj(pod([tiny]), tiny, 4 * GiB), 999, 'burstable stays below best effort');
  assert.equal(oomScoreAdj(pod([e], { priorityClassName: 'system-node-critical' }), { name: 'e' }, 4 * GiB), -997);
});

test('container config: command expansion, labels, annotations, log path, security context', () => {
  const c: PodContainer = {
    name: 'app', image: 'busybox', command: ['sh', '-c'], args: ['echo $(MSG)'], workingDir: '/w', tty: true, stdin: true,
    ports: [{ containerPort: 80, protocol: 'TCP' }],
    securityContext: { privileged: true, readOnlyRootFilesystem: true, runAsGroup: 7 },
  };
  const p = pod([c], { terminationGracePeriodSeconds: 5, securityContext: { runAsUser: 1000, runAsGroup: 1 } });
  const env = [{ key: 'MSG', value: 'hi' }];
  const mounts = [{ containerPath: '/d', hostPath: '/h', readonly: false }];
  const cfg = containerConfig({ pod: p, container: c, image: 'sha256:abc', env, mounts, attempt: 2, restartCount: 2, kind: 'init', managedBy: 'edge-1' }, 4 * GiB);
  assert.deepEqual(cfg.metadata, { name: 'app', attempt: 2 });
  assert.equal(cfg.image, 'sha256:abc');
  assert.deepEqual([cfg.command, cfg.args], [['sh', '-c'], ['echo hi']]);
  assert.equal(cfg.workingDir, '/w');
  assert.deepEqual(cfg.envs, env);
  assert.deepEqual(cfg.mounts, mounts);
  assert.equal(cfg.logPath, 'app/2.log');
  assert.deepEqual([cfg.stdin, cfg.stdinOnce, cfg.tty], [true, false, true]);
  assert.deepEqual(cfg.labels, { [RuntimeLabels.podName]: 'web', [RuntimeLabels.podNamespace]: 'ns', [RuntimeLabels.podUid]: 'u1', [RuntimeLabels.containerName]: 'app', [RuntimeLabels.managedBy]: 'edge-1' });
  assert.deepEqual(cfg.annotations, {
    [RuntimeAnnotations.restartCount]: '2',
    [RuntimeAnnotations.containerHash]: containerSpecHash(c),
    [RuntimeAnnotations.terminationGracePeriod]: '5',
    [RuntimeAnnotations.terminationMessagePath]: '/dev/termination-log',
    [RuntimeAnnotations.containerType]: 'init',
    'io.kubernetes.container.ports': '[{"containerPort":80,"protocol":"TCP"}]',
  });
  assert.deepEqual(cfg.linux.securityContext, { privileged: true, runAsUser: 1000, runAsGroup: 7, readonlyRootfs: true });
  const plain = buildContainerConfig({ pod: pod([{ name: 'x' }]), container: { name: 'x' }, image: 'i', env: [], mounts: [], attempt: 0, restartCount: 0, kind: 'regular', managedBy: 'n' });
  assert.equal(plain.linux.securityContext, undefined);
  assert.equal(plain.annotations[RuntimeAnnotations.terminationGracePeriod], '30');
  assert.equal(plain.annotations['io.kubernetes.container.ports'], undefined);
});

test('containerSpecHash: stable across key order, changes with the spec', () => {
  const a = containerSpecHash({ name: 'c', image: 'x:1', env: [{ name: 'A', value: '1' }] });
  assert.match(a, /^[0-9a-f]{8}$/);
  assert.equal(containerSpecHash({ env: [{ value: '1', name: 'A' }], image: 'x:1', name: 'c' }), a);
  assert.notEqual(containerSpecHash({ name: 'c', image: 'x:2', env: [{ name: 'A', value: '1' }] }), a);
});
