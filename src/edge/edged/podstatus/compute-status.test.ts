import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerStatus, PodSandboxStatus } from '../../runtime/types.js';
import type { ContainerView, Json, Pod, PodStatusInput } from '../pod-contracts.js';
import { computePodStatus, sameStatus } from './compute-status.js';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const at = (s: number): Date => new Date(T0 + s * 1000 + 123); // milliseconds are dropped in the API
const iso = (s: number): string => new Date(T0 + s * 1000).toISOString().replace('.000Z', 'Z');

function pod(spec: Json = {}, extra: Partial<Pod> = {}): Pod {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'uid-1' },
    spec: { containers: [{ name: 'a', image: 'nginx:1' }, { name: 'b', image: 'busybox' }], ...spec },
    ...extra,
  };
}

function ctr(id: string, state: ContainerStatus['state'], more: Partial<ContainerStatus> = {}): ContainerStatus {
  return {
    id, metadata: { name: id, attempt: 0 }, state, createdAt: T0, startedAt: state === 'created' ? 0 : T0 + 1000,
    finishedAt: state === 'exited' ? T0 + 5000 : 0, exitCode: 0, image: 'img', imageRef: 'docker.io/library/nginx@sha256:abc',
    reason: state === 'exited' ? 'Completed' : '', message: '', labels: {}, annotations: {}, logPath: '', ...more,
  };
}

function view(name: string, more: Partial<ContainerView> = {}): ContainerView {
  return { name, kind: 'regular', restartCount: 0, ready: false, started: false, ...more };
}

const running = (name: string, more: Partial<ContainerView> = {}): ContainerView =>
  view(name, { current: ctr(`${name}-1`, 'running'), ready: true, started: true, ...more });
const exited = (name: string, exitCode: number, more: Partial<ContainerView> = {}): ContainerView =>
  view(name, { current: ctr(`${name}-1`, 'exited', { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error' }), ...more });

const sandbox: PodSandboxStatus = {
  id: 'sb1', metadata: { name: 'web', namespace: 'default', uid: 'uid-1', attempt: 0 }, state: 'ready', createdAt: T0,
  labels: {}, annotations: {}, network: { ip: '10.88.0.5', additionalIps: ['fd00::5'] }, hostNetwork: false,
};

function compute(p: Pod, containers: ContainerView[], more: Partial<PodStatusInput> = {}): Json {
  return computePodStatus({ pod: p, sandbox, containers, hostIP: '192.168.1.10', runtimeName: 'containerd', now: () => at(0), ...more });
}

type Cond = { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string };
const conds = (s: Json): Cond[] => s.conditions as Cond[];
const cond = (s: Json, type: string): Cond | undefined => conds(s).find((c) => c.type === type);
const cs = (s: Json, i: number, key = 'containerStatuses'): Json => (s[key] as Json[])[i] as Json;

describe('pod phase (kubelet getPhase)', () => {
  const cases: { name: string; policy: string; views: ContainerView[]; phase: string; deleting?: boolean }[] = [
    { name: 'nothing started', policy: 'Always', views: [], phase: 'Pending' },
    { name: 'one running, one waiting', policy: 'Always', views: [running('a'), view('b', { waiting: { reason: 'ErrImagePull', message: 'x' } })], phase: 'Pending' },
    { name: 'all running', policy: 'Always', views: [running('a'), running('b')], phase: 'Running' },
    { name: 'Always, all exited 0', policy: 'Always', views: [exited('a', 0), exited('b', 0)], phase: 'Running' },
    { name: 'Never, all exited 0', policy: 'Never', views: [exited('a', 0), exited('b', 0)], phase: 'Succeeded' },
    { name: 'Never, one failed', policy: 'Never', views: [exited('a', 0), exited('b', 1)], phase: 'Failed' },
    { name: 'Never, one still running', policy: 'Never', views: [running('a'), exited('b', 1)], phase: 'Running' },
    { name: 'OnFailure, all exited 0', policy: 'OnFailure', views: [exited('a', 0), exited('b', 0)], phase: 'Succeeded' },
    {
      name: 'OnFailure, failed one in CrashLoopBackOff', policy: 'OnFailure', phase: 'Running',
      views: [exited('a', 0), exited('b', 1, { restartCount: 2, waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s' } })],
    },
    { name: 'deleted, all stopped with 0', policy: 'Always', views: [exited('a', 0), exited('b', 0)], phase: 'Succeeded', deleting: true },
    { name: 'deleted, killed', policy: 'Always', views: [exited('a', 137), exited('b', 0)], phase: 'Failed', deleting: true },
    { name: 'deleted, still running', policy: 'Always', views: [running('a'), exited('b', 0)], phase: 'Running', deleting: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const meta = { name: 'web', namespace: 'default', uid: 'uid-1', ...(c.deleting ? { deletionTimestamp: iso(9) } : {}) };
      const s = compute({ ...pod({ restartPolicy: c.policy }), metadata: meta }, c.views);
      assert.equal(s.phase, c.phase);
    });
  }

  it('with init containers: Pending while they run, Failed when one fails with Never, Pending in its crash loop otherwise', () => {
    const spec = { initContainers: [{ name: 'i1', image: 'busybox' }, { name: 'i2', image: 'busybox' }] };
    const init = (name: string, more: Partial<ContainerView>): ContainerView => view(name, { kind: 'init', ...more });
    const s1 = compute(pod(spec), [init('i1', { current: ctr('i1-1', 'running') })]);
    assert.equal(s1.phase, 'Pending');
    assert.deepEqual(cs(s1, 1, 'initContainerStatuses').state, { waiting: { reason: 'PodInitializing' } });
    assert.deepEqual(cs(s1, 0).state, { waiting: { reason: 'PodInitializing' } });
    assert.equal(cs(s1, 0, 'initContainerStatuses').started, true);
    assert.deepEqual(cond(s1, 'Initialized'), {
      type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', lastProbeTime: null, lastTransitionTime: iso(0),
      message: 'containers with incomplete status: [i1 i2]',
    });

    const failed = init('i1', { current: ctr('i1-1', 'exited', { exitCode: 2, reason: 'Error' }) });
    assert.equal(compute(pod({ ...spec, restartPolicy: 'Never' }), [failed]).phase, 'Failed');
    const looping = { ...failed, restartCount: 1, waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=i1' } };
    const s2 = compute(pod({ ...spec, restartPolicy: 'OnFailure' }), [looping]);
    assert.equal(s2.phase, 'Pending');
    const i1 = cs(s2, 0, 'initContainerStatuses');
    assert.equal((i1.state as Json & { waiting: Json }).waiting.reason, 'CrashLoopBackOff');
    assert.equal((i1.lastState as Json & { terminated: Json }).terminated.exitCode, 2);
    assert.equal(i1.restartCount, 1);

    const done = [init('i1', { current: ctr('i1-1', 'exited') }), init('i2', { current: ctr('i2-1', 'exited') }), running('a'), running('b')];
    const s3 = compute(pod(spec), done);
    assert.equal(s3.phase, 'Running');
    assert.equal(cond(s3, 'Initialized')?.status, 'True');
    assert.equal(cs(s3, 0, 'initContainerStatuses').ready, true);
    assert.equal(cs(s3, 0, 'initContainerStatuses').started, false);
  });

  it('never leaves a terminal phase', () => {
    const s = compute(pod({ restartPolicy: 'Never' }), [], { previous: { phase: 'Succeeded', conditions: [] } });
    assert.equal(s.phase, 'Succeeded');
  });
});

describe('container statuses', () => {
  it('reports a running container as the API does', () => {
    const s = compute(pod(), [running('a', { restartCount: 3, imageID: 'docker.io/library/nginx@sha256:def' }), running('b', { ready: false })]);
    assert.deepEqual(cs(s, 0), {
      name: 'a', state: { running: { startedAt: iso(1) } }, lastState: {}, ready: true, restartCount: 3,
      image: 'nginx:1', imageID: 'docker.io/library/nginx@sha256:def', containerID: 'containerd://a-1', started: true,
    });
    assert.equal(cs(s, 1).ready, false);
    assert.equal(cs(s, 1).imageID, 'docker.io/library/nginx@sha256:abc');
  });

  it('waits in CrashLoopBackOff with the last run in lastState', () => {
    const v = exited('a', 1, { restartCount: 4, waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s restarting failed container=a pod=web_default(uid-1)' } });
    const s = compute(pod(), [v, running('b')]);
    const a = cs(s, 0);
    assert.deepEqual(a.state, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s restarting failed container=a pod=web_default(uid-1)' } });
    assert.deepEqual(a.lastState, {
      terminated: { exitCode: 1, reason: 'Error', startedAt: iso(1), finishedAt: iso(5), containerID: 'containerd://a-1' },
    });
    assert.equal(a.ready, false);
    assert.equal(a.started, false);
    assert.equal(a.containerID, 'containerd://a-1');
    assert.equal(s.phase, 'Running');
  });

  it('shows the previous instance as lastState of a restarted container', () => {
    const v = running('a', { restartCount: 1, previous: ctr('a-0', 'exited', { exitCode: 137, reason: 'Error' }) });
    const s = compute(pod(), [v, running('b')]);
    assert.equal(((cs(s, 0).lastState as Json).terminated as Json).containerID, 'containerd://a-0');
  });

  it('uses the waiting reason given before the first start, and ContainerCreating by default', () => {
    const s = compute(pod(), [view('a', { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:1"' } })]);
    assert.deepEqual(cs(s, 0).state, { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:1"' } });
    assert.deepEqual(cs(s, 1).state, { waiting: { reason: 'ContainerCreating' } });
    assert.equal(cs(s, 1).imageID, '');
    assert.equal(cs(s, 1).containerID, undefined);
  });

  it('turns a running container the runtime lost into ContainerStatusUnknown', () => {
    const first = compute(pod(), [running('a'), running('b')]);
    const s = compute(pod(), [view('a', { current: ctr('a-1', 'unknown') }), running('b')], { previous: first });
    assert.equal(((cs(s, 0).state as Json).terminated as Json).reason, 'ContainerStatusUnknown');
  });

  it('shares 12 KiB of termination messages across containers', () => {
    const s = compute(pod({ restartPolicy: 'Never' }), [exited('a', 1, { current: ctr('a-1', 'exited', { exitCode: 1, message: 'x'.repeat(20_000) }) }), exited('b', 0)]);
    assert.equal((((cs(s, 0).state as Json).terminated as Json).message as string).length, 6 * 1024);
  });
});

describe('conditions, IPs and the rest', () => {
  it('generates kubelet conditions in order, and keeps foreign conditions', () => {
    const p = pod({ readinessGates: [{ conditionType: 'example.com/gate' }] }, {
      status: { conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2023-12-31T23:59:00Z' }, { type: 'example.com/gate', status: 'False' }] },
    });
    const s = compute(p, [running('a'), running('b', { ready: false })]);
    assert.deepEqual(conds(s).map((c) => c.type), ['example.com/gate', 'PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
    assert.deepEqual(cond(s, 'ContainersReady'), {
      type: 'ContainersReady', status: 'False', lastProbeTime: null, lastTransitionTime: iso(0),
      reason: 'ContainersNotReady', message: 'containers with unready status: [b]',
    });
    assert.equal(cond(s, 'Ready')?.message, 'containers with unready status: [b]');
    assert.equal(cond(s, 'PodScheduled')?.lastTransitionTime, '2023-12-31T23:59:00Z');
    const allReady = compute(p, [running('a'), running('b')]);
    assert.equal(cond(allReady, 'ContainersReady')?.status, 'True');
    assert.deepEqual([cond(allReady, 'Ready')?.status, cond(allReady, 'Ready')?.reason], ['False', 'ReadinessGatesNotReady']);
  });

  it('keeps lastTransitionTime while a condition holds, and moves it when it flips', () => {
    const first = compute(pod(), [running('a'), running('b', { ready: false })], { now: () => at(0) });
    const same = compute(pod(), [running('a'), running('b', { ready: false })], { now: () => at(30), previous: first });
    assert.ok(sameStatus(first, same));
    const flipped = compute(pod(), [running('a'), running('b')], { now: () => at(60), previous: same });
    assert.equal(cond(flipped, 'Ready')?.lastTransitionTime, iso(60));
    assert.equal(cond(flipped, 'Initialized')?.lastTransitionTime, iso(0));
    assert.equal(cond(flipped, 'PodScheduled')?.lastTransitionTime, iso(0));
    assert.equal(flipped.startTime, iso(0));
    assert.equal(sameStatus(same, flipped), false);
  });

  it('reports pod, host and sandbox facts', () => {
    const s = compute(pod(), [running('a'), running('b')]);
    assert.equal(s.podIP, '10.88.0.5');
    assert.deepEqual(s.podIPs, [{ ip: '10.88.0.5' }, { ip: 'fd00::5' }]);
    assert.deepEqual([s.hostIP, s.hostIPs], ['192.168.1.10', [{ ip: '192.168.1.10' }]]);
    assert.equal(cond(s, 'PodReadyToStartContainers')?.status, 'True');
    const hostNet = compute(pod({ hostNetwork: true }), [], { sandbox: undefined });
    assert.deepEqual([hostNet.podIP, hostNet.podIPs], ['192.168.1.10', [{ ip: '192.168.1.10' }]]);
    assert.equal(cond(hostNet, 'PodReadyToStartContainers')?.status, 'False');
    const noSandbox = compute(pod(), [], { sandbox: undefined });
    assert.equal(noSandbox.podIP, undefined);
    assert.equal(noSandbox.startTime, iso(0));
  });

  it('sets reason and message from podReason', () => {
    const s = compute(pod(), [], { podReason: { reason: 'UnexpectedAdmissionError', message: 'no room' } });
    assert.deepEqual([s.reason, s.message], ['UnexpectedAdmissionError', 'no room']);
  });

  it('classifies QoS like kubelet and keeps a class already set', () => {
    const res = (requests: Json | undefined, limits: Json | undefined): Json => ({ name: 'a', image: 'x', resources: { requests, limits } });
    const qos = (containers: Json[], status?: Json): unknown => compute(pod({ containers }, status ? { status } : {}), []).qosClass;
    assert.equal(qos([{ name: 'a' }]), 'BestEffort');
    assert.equal(qos([res(undefined, { cpu: '500m', memory: '128Mi' })]), 'Guaranteed');
    assert.equal(qos([res({ cpu: '0.5', memory: '134217728' }, { cpu: '500m', memory: '128Mi' })]), 'Guaranteed');
    assert.equal(qos([res({ cpu: '100m' }, { cpu: '500m', memory: '128Mi' })]), 'Burstable');
    assert.equal(qos([res({ memory: '1Gi' }, undefined)]), 'Burstable');
    assert.equal(qos([res(undefined, { cpu: '1', memory: '1G' }), { name: 'b' }]), 'Burstable');
    assert.equal(qos([{ name: 'a' }], { qosClass: 'Burstable' }), 'Burstable');
  });

  it('compares statuses by content, not key order', () => {
    assert.ok(sameStatus({ a: 1, b: { c: [1, { d: 2, e: 3 }] } }, { b: { c: [1, { e: 3, d: 2 }] }, a: 1 }));
    assert.equal(sameStatus({ a: 1 }, { a: 2 }), false);
    assert.equal(sameStatus(undefined, { a: 1 }), false);
  });
});
