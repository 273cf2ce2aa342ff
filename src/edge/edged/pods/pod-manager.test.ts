import { test, describe, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { FakeContainerRuntime } from '../../../testing/fake-container-runtime.js';
import {
  containerStateOf as stateOf, containerStatusOf as container, eventsSent as events, podTestbed, statusMessages,
  testPod as pod, TEST_NODE, waitFor, type PodTestbed as Bed, type PodTestbedOptions,
} from '../../../testing/fake-pod-parts.js';
import type { Json } from '../pod-contracts.js';
import { computePodStatus, sameStatus } from '../podstatus/index.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function bed(opts: Omit<PodTestbedOptions, 'parts'> & { parts?: PodTestbedOptions['parts'] } = {}): Bed {
  const b = podTestbed({ ...opts, parts: opts.parts ?? { computePodStatus, sameStatus } });
  cleanups.push(b.dispose);
  return b;
}

const reasons = (b: Bed): string[] => events(b).map((e) => String(e['reason']));
const phase = (b: Bed, name: string): unknown => b.mgr.podStatus('default', name)?.['phase'];

describe('PodManager', () => {
  test('a pod starts: sandbox, image, create, start, one Running status upstream', async () => {
    const b = bed();
    b.store.put('pod', pod('web'));
    await b.mgr.start();
    await waitFor('Running', () => phase(b, 'web') === 'Running');
    await b.mgr.idle();
    await new Promise((r) => setTimeout(r, 60)); // a few relists and a resync pass
    const calls = b.runtime.calls.filter((c) => !c.startsWith('list') && !c.startsWith('containerStatus') && !c.startsWith('podSandboxStatus'));
    const started = [...b.runtime.containers.keys()][0];
    assert.deepEqual(calls, ['runPodSandbox web', 'imageStatus busybox:1.36', 'pullImage busybox:1.36', 'createContainer app', `startContainer ${started}`]);
    const reports = statusMessages(b);
    assert.equal(reports.length, 1);
    assert.equal(reports[0]?.UID, 'uid-web');
    assert.equal(reports[0]?.Status['phase'], 'Running');
    assert.equal(b.messages.find((m) => m.route.resource.includes('/podstatus/'))?.route.resource, 'default/podstatus/web');
    assert.deepEqual(b.mgr.counts(), { pods: 1, running: 1 });
  });

  test('pulls a missing image once for many pods, ImageStatus first', async () => {
    const b = bed();
    for (let i = 0; i < 20; i++) b.store.put('pod', pod(`p${i}`, { containers: [{ name: 'app', image: 'nginx:1.25' }] }));
    await b.mgr.start();
    await waitFor('all Running', () => b.mgr.counts().running === 20);
    assert.equal(b.runtime.count('pullImage'), 1);
    assert.ok(b.runtime.calls.indexOf('imageStatus nginx:1.25') < b.runtime.calls.indexOf('pullImage nginx:1.25'));
    const ev = events(b).filter((e) => e['reason'] === 'Pulled');
    assert.ok(ev.length >= 20);
    const first = events(b).find((e) => e['reason'] === 'Started');
    assert.deepEqual((first?.['involvedObject'] as Json)['fieldPath'], 'spec.containers{app}');
    assert.deepEqual(first?.['source'], { component: 'kubelet', host: TEST_NODE });
  });

  test('restartPolicy Always: a crash restarts at once, the next one backs off (CrashLoopBackOff)', async () => {
    const b = bed({ backoffMs: 300 });
    b.runtime.onStart = (s) => setImmediate(() => b.runtime.exit(s.id, 1));
    b.store.put('pod', pod('crash'));
    await b.mgr.start();
    const looping = await waitFor('CrashLoopBackOff', () => b.seen.find((s) => (stateOf(s)['waiting'] as Json | undefined)?.['reason'] === 'CrashLoopBackOff'));
    const waiting = stateOf(looping)['waiting'] as Json;
    assert.match(String(waiting['message']), /^back-off 0s restarting failed container=app pod=crash_default\(uid-crash\)$|^back-off \d+s restarting failed container=app pod=crash_default\(uid-crash\)$/);
    assert.equal(container(looping)?.['restartCount'], 1);
    const last = (container(looping)?.['lastState'] as Json)['terminated'] as Json;
    assert.equal(last['exitCode'], 1);
    assert.equal(last['reason'], 'Error');
    await waitFor('restartCount 2', () => b.seen.some((x) => container(x)?.['restartCount'] === 2));
    // Only the current instance and the one before it are kept (lastState, logs --previous).
    assert.ok(b.runtime.instances('uid-crash', 'app').length <= 2);
    assert.ok(reasons(b).includes('BackOff'));
  });

  test('restartPolicy Never: an exit stays exited and the pod fails', async () => {
    const b = bed();
    b.runtime.onStart = (s) => setImmediate(() => b.runtime.exit(s.id, 2));
    b.store.put('pod', pod('once', { restartPolicy: 'Never' }));
    await b.mgr.start();
    await waitFor('Failed', () => phase(b, 'once') === 'Failed');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(b.runtime.instances('uid-once', 'app').length, 1);
  });

  test('restartPolicy OnFailure: exit 1 restarts, exit 0 completes', async () => {
    const b = bed();
    let n = 0;
    b.runtime.onStart = (s) => setImmediate(() => b.runtime.exit(s.id, n++ === 0 ? 1 : 0));
    b.store.put('pod', pod('job', { restartPolicy: 'OnFailure' }));
    await b.mgr.start();
    await waitFor('Succeeded', () => phase(b, 'job') === 'Succeeded');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(b.runtime.instances('uid-job', 'app').length, 2);
    assert.equal(container(b.mgr.podStatus('default', 'job'))?.['restartCount'], 1);
  });

  test('a liveness failure kills and restarts the container', async () => {
    const b = bed();
    b.store.put('pod', pod('live', { containers: [{ name: 'app', image: 'busybox:1.36', livenessProbe: { exec: { command: ['true'] } } }] }));
    await b.mgr.start();
    await waitFor('Running', () => phase(b, 'live') === 'Running');
    const first = b.runtime.instances('uid-live', 'app')[0];
    assert.ok(first !== undefined && b.made.prober?.targets.has(first.id));
    b.made.prober?.set(first.id, 'liveness', 'failure', 'exit 1');
    await waitFor('restart', () => b.runtime.instances('uid-live', 'app').length === 2 && container(b.mgr.podStatus('default', 'live'))?.['restartCount'] === 1);
    const killing = events(b).find((e) => e['reason'] === 'Killing');
    assert.equal(killing?.['message'], 'Container app failed liveness probe, will be restarted');
    const unhealthy = events(b).find((e) => e['reason'] === 'Unhealthy');
    assert.equal(unhealthy?.['message'], 'Liveness probe failed: exit 1');
    assert.equal(unhealthy?.['type'], 'Warning');
  });

  test('an image that fails to pull: ErrImagePull, then ImagePullBackOff, then Running once it pulls', async () => {
    const b = bed({ backoffMs: 200 });
    b.runtime.pullErrors.set('nosuch:1', 'pull access denied');
    b.store.put('pod', pod('bad', { containers: [{ name: 'app', image: 'nosuch:1' }] }));
    await b.mgr.start();
    await waitFor('ErrImagePull', () => b.seen.some((s) => (stateOf(s)['waiting'] as Json | undefined)?.['reason'] === 'ErrImagePull'));
    await waitFor('ImagePullBackOff', () => b.seen.some((s) => (stateOf(s)['waiting'] as Json | undefined)?.['reason'] === 'ImagePullBackOff'));
    assert.ok(events(b).some((e) => e['reason'] === 'Failed' && String(e['message']).startsWith('Failed to pull image "nosuch:1": ')));
    b.runtime.pullErrors.delete('nosuch:1');
    await waitFor('Running', () => phase(b, 'bad') === 'Running', 6000);
  });

  test('Never pull policy without the image: ErrImageNeverPull', async () => {
    const b = bed();
    b.store.put('pod', pod('never', { containers: [{ name: 'app', image: 'local:1', imagePullPolicy: 'Never' }] }));
    await b.mgr.start();
    const s = await waitFor('ErrImageNeverPull', () => b.seen.find((x) => (stateOf(x)['waiting'] as Json | undefined)?.['reason'] === 'ErrImageNeverPull'));
    assert.equal((stateOf(s)['waiting'] as Json)['message'], 'Container image "local:1" is not present with pull policy of Never');
    assert.equal(b.runtime.count('pullImage'), 0);
  });

  test('env from a missing configmap: CreateContainerConfigError, then Running when it appears', async () => {
    const b = bed();
    const env = [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } }];
    b.store.put('pod', pod('env', { containers: [{ name: 'app', image: 'busybox:1.36', env }] }));
    await b.mgr.start();
    const s = await waitFor('config error', () => b.seen.find((x) => (stateOf(x)['waiting'] as Json | undefined)?.['reason'] === 'CreateContainerConfigError'));
    assert.equal((stateOf(s)['waiting'] as Json)['message'], 'configmap "cfg" not found');
    b.store.put('configmap', { metadata: { name: 'cfg', namespace: 'default' }, data: { mode: 'fast' } });
    await waitFor('Running', () => phase(b, 'env') === 'Running');
    const created = [...b.runtime.containers.values()].find((c) => c.c.labels['io.kubernetes.pod.uid'] === 'uid-env');
    assert.deepEqual(created?.config.envs, [{ key: 'MODE', value: 'fast' }]);
  });

  test('a configmap volume that is missing: FailedMount, ContainerCreating, then Running', async () => {
    const b = bed();
    b.store.put('pod', pod('vol', { volumes: [{ name: 'cfg', configMap: { name: 'settings' } }] }));
    await b.mgr.start();
    await waitFor('FailedMount', () => reasons(b).includes('FailedMount'));
    assert.equal(b.runtime.count('runPodSandbox'), 0);
    assert.equal((stateOf(b.mgr.podStatus('default', 'vol'))['waiting'] as Json)['reason'], 'ContainerCreating');
    b.store.put('configmap', { metadata: { name: 'settings', namespace: 'default' }, data: {} });
    await waitFor('Running', () => phase(b, 'vol') === 'Running');
  });

  test('a changed configmap re-runs volume setUp of the pods that mount it', async () => {
    const b = bed();
    b.store.put('configmap', { metadata: { name: 'settings', namespace: 'default' }, data: { a: '1' } });
    b.store.put('pod', pod('cm', { volumes: [{ name: 'cfg', configMap: { name: 'settings' } }] }));
    b.store.put('pod', pod('other'));
    await b.mgr.start();
    await waitFor('Running', () => b.mgr.counts().running === 2);
    const before = b.made.volumes?.setUps.filter((u) => u === 'uid-cm').length ?? 0;
    b.store.put('configmap', { metadata: { name: 'settings', namespace: 'default' }, data: { a: '2' } });
    await waitFor('setUp again', () => (b.made.volumes?.setUps.filter((u) => u === 'uid-cm').length ?? 0) > before);
    assert.equal(b.made.volumes?.setUps.filter((u) => u === 'uid-other').length, 1);
  });

  test('a changed container spec restarts that container', async () => {
    const b = bed();
    b.store.put('pod', pod('upd'));
    await b.mgr.start();
    await waitFor('Running', () => phase(b, 'upd') === 'Running');
    b.store.put('pod', pod('upd', { containers: [{ name: 'app', image: 'busybox:1.37' }] }));
    await waitFor('restarted', () => container(b.mgr.podStatus('default', 'upd'))?.['restartCount'] === 1 && phase(b, 'upd') === 'Running');
    assert.ok(events(b).some((e) => e['reason'] === 'Killing' && e['message'] === 'Container app definition changed, will be restarted'));
    assert.ok(b.runtime.calls.includes('pullImage busybox:1.37'));
  });

  test('deletionTimestamp: preStop, stop with the grace period, final terminated status', async () => {
    const hooks: Json[] = [];
    const spec = { terminationGracePeriodSeconds: 7, containers: [{ name: 'app', image: 'busybox:1.36', lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 1'] } } } }] };
    const runProbe = async (probe: Json): Promise<{ result: 'success'; message: string }> => {
      hooks.push(probe);
      return { result: 'success', message: '' };
    };
    const b2 = bed({ parts: { computePodStatus, sameStatus, runProbe } });
    b2.store.put('pod', pod('del', spec));
    await b2.mgr.start();
    await waitFor('Running', () => phase(b2, 'del') === 'Running');
    b2.store.put('pod', pod('del', spec, { deletionTimestamp: '2024-01-01T00:00:00Z', deletionGracePeriodSeconds: 7 }));
    const final = await waitFor('final status', () => statusMessages(b2).find((m) => (stateOf(m.Status)['terminated'] as Json | undefined) !== undefined));
    assert.deepEqual((hooks[0]?.['exec'] as Json)['command'], ['sh', '-c', 'sleep 1']);
    assert.ok(b2.runtime.calls.some((c) => /^stopContainer c\d+ [2-7]$/.test(c)));
    assert.ok(b2.runtime.count('stopPodSandbox') >= 1);
    assert.ok(['Succeeded', 'Failed'].includes(String(final.Status['phase'])));
    assert.ok(events(b2).some((e) => e['reason'] === 'Killing' && e['message'] === 'Stopping container app'));
  });

  test('deleted from the store: containers, sandbox and volumes removed', async () => {
    const b = bed();
    b.store.put('pod', pod('gone'));
    await b.mgr.start();
    await waitFor('Running', () => phase(b, 'gone') === 'Running');
    b.store.delete('pod', 'default', 'gone');
    await waitFor('removed', () => b.runtime.containers.size === 0 && b.runtime.sandboxes.size === 0 && b.mgr.counts().pods === 0);
    assert.deepEqual(b.made.volumes?.tornDown, ['uid-gone']);
    assert.equal(b.mgr.podStatus('default', 'gone'), undefined);
  });

  test('init containers run in order, each to exit 0, before the app', async () => {
    const b = bed();
    const order: string[] = [];
    b.runtime.onStart = (s) => {
      order.push(s.metadata.name);
      if (s.metadata.name.startsWith('init')) setImmediate(() => b.runtime.exit(s.id, 0));
    };
    const inits = [{ name: 'init-a', image: 'busybox:1.36' }, { name: 'init-b', image: 'busybox:1.36' }];
    b.store.put('pod', pod('init', { initContainers: inits }));
    await b.mgr.start();
    await waitFor('Running', () => phase(b, 'init') === 'Running');
    assert.deepEqual(order, ['init-a', 'init-b', 'app']);
    const pending = b.seen.find((s) => (stateOf(s)['waiting'] as Json | undefined)?.['reason'] === 'PodInitializing');
    assert.ok(pending !== undefined);
  });

  test('the process runtime says once per pod that it does not isolate', async () => {
    const b = bed({ runtime: new FakeContainerRuntime({ kind: 'process' }) });
    b.store.put('pod', pod('proc'));
    await b.mgr.start();
    await waitFor('Running', () => phase(b, 'proc') === 'Running');
    await new Promise((r) => setTimeout(r, 50));
    const ev = events(b).filter((e) => e['reason'] === 'NoIsolation');
    assert.equal(ev.length, 1);
    assert.equal(ev[0]?.['type'], 'Warning');
  });

  test('locate finds the current and the previous instance', async () => {
    const b = bed({ backoffMs: 5000 });
    let n = 0;
    b.runtime.onStart = (s) => { if (n++ === 0) setImmediate(() => b.runtime.exit(s.id, 1)); };
    b.store.put('pod', pod('logs'));
    await b.mgr.start();
    await waitFor('restarted', () => container(b.mgr.podStatus('default', 'logs'))?.['restartCount'] === 1 && phase(b, 'logs') === 'Running');
    const cur = await b.mgr.locate('default', 'logs', '', false);
    const prev = await b.mgr.locate('default', 'logs', 'app', true);
    assert.equal(cur.running, true);
    assert.equal(prev.running, false);
    assert.notEqual(cur.containerId, prev.containerId);
    assert.match(cur.logPath, /default_logs_uid-logs[/\\]app[/\\]1\.log$/);
    await assert.rejects(b.mgr.locate('default', 'logs', 'nope', false), { name: 'ContainerNotFoundError' });
    await assert.rejects(b.mgr.locate('default', 'other', '', false), { name: 'ContainerNotFoundError' });
  });
});
