import { test, describe, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeContainerRuntime } from '../../../testing/fake-container-runtime.js';
import {
  FakePodStore, containerStateOf, containerStatusOf, eventsSent, podTestbed, statusMessages, testPod, waitFor,
  type PodTestbed, type PodTestbedOptions,
} from '../../../testing/fake-pod-parts.js';
import type { Json } from '../pod-contracts.js';
import { computePodStatus, sameStatus } from '../podstatus/index.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function bed(opts: Omit<PodTestbedOptions, 'parts'> = {}): PodTestbed {
  const b = podTestbed({ ...opts, parts: { computePodStatus, sameStatus } });
  cleanups.push(b.dispose);
  return b;
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pods-restart-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const phase = (b: PodTestbed, name: string): unknown => b.mgr.podStatus('default', name)?.['phase'];
const restarts = (b: PodTestbed, name: string): unknown => containerStatusOf(b.mgr.podStatus('default', name))?.['restartCount'];
const tick = (ms = 30): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('PodManager across edgecore restarts', () => {
  test('start() adopts running containers of stored pods and removes orphans', async () => {
    const runtime = new FakeContainerRuntime();
    const store = new FakePodStore();
    const dataDir = tempDir();
    const first = bed({ runtime, store, dataDir });
    store.put('pod', testPod('keep'));
    store.put('pod', testPod('orphan'));
    await first.mgr.start();
    await waitFor('both Running', () => first.mgr.counts().running === 2);
    await first.mgr.stop();
    const kept = runtime.instances('uid-keep', 'app')[0];
    assert.equal(kept?.state, 'running');
    // Deleted while edgecore was down: gone from the store, still in the runtime.
    store.objects.delete('pod/default/orphan');

    const second = bed({ runtime, store, dataDir });
    await second.mgr.start();
    await waitFor('orphan removed', () => runtime.instances('uid-orphan', 'app').length === 0 && [...runtime.sandboxes.values()].every((s) => s.sb.metadata.uid !== 'uid-orphan'));
    await waitFor('Running', () => phase(second, 'keep') === 'Running');
    const now = runtime.instances('uid-keep', 'app');
    assert.equal(now.length, 1);
    assert.equal(now[0]?.id, kept?.id);
    assert.equal(now[0]?.state, 'running');
    assert.equal(runtime.count('runPodSandbox'), 2);
  });

  test('restartCount survives a restart of the pod manager', async () => {
    const runtime = new FakeContainerRuntime();
    const store = new FakePodStore();
    const dataDir = tempDir();
    let n = 0;
    runtime.onStart = (s) => { if (n++ === 0) setImmediate(() => runtime.exit(s.id, 1)); };
    const first = bed({ runtime, store, dataDir });
    store.put('pod', testPod('counted'));
    await first.mgr.start();
    await waitFor('restarted once', () => restarts(first, 'counted') === 1 && phase(first, 'counted') === 'Running');
    await first.mgr.stop();

    const second = bed({ runtime, store, dataDir });
    await second.mgr.start();
    await waitFor('status', () => second.mgr.podStatus('default', 'counted'));
    assert.equal(restarts(second, 'counted'), 1);
    const cur = runtime.instances('uid-counted', 'app').at(-1);
    assert.ok(cur !== undefined);
    runtime.exit(cur.id, 1);
    await waitFor('restartCount 2', () => restarts(second, 'counted') === 2);
  });

  test('after a reboot every pod comes back at once, restart policies honoured, no back-off', async () => {
    const runtime = new FakeContainerRuntime();
    const store = new FakePodStore();
    const dataDir = tempDir();
    const first = bed({ runtime, store, dataDir, backoffMs: 60_000 });
    store.put('pod', testPod('always'));
    store.put('pod', testPod('onfail', { restartPolicy: 'OnFailure' }));
    store.put('pod', testPod('never', { restartPolicy: 'Never' }));
    await first.mgr.start();
    await waitFor('all Running', () => first.mgr.counts().running === 3);
    await first.mgr.stop();
    runtime.reboot(); // every container exited (255), every sandbox not ready
    await tick(5);

    const second = bed({ runtime, store, dataDir, backoffMs: 60_000 });
    await second.mgr.start();
    await waitFor('always and onfail Running', () => phase(second, 'always') === 'Running' && phase(second, 'onfail') === 'Running');
    await waitFor('never Failed', () => phase(second, 'never') === 'Failed');
    assert.equal(restarts(second, 'always'), 1);
    assert.equal(restarts(second, 'onfail'), 1);
    assert.equal(runtime.instances('uid-never', 'app').length, 1);
    assert.ok(!second.seen.some((s) => (containerStateOf(s)['waiting'] as Json | undefined)?.['reason'] === 'CrashLoopBackOff'));
    // A new sandbox attempt for the pods that run again.
    const attempts = [...runtime.sandboxes.values()].filter((s) => s.sb.metadata.uid === 'uid-always').map((s) => s.sb.metadata.attempt);
    assert.ok(attempts.includes(1));
  });

  test('a runtime that is unavailable: no throw, retries, recovers', async () => {
    const b = bed();
    b.runtime.unavailable = true;
    b.store.put('pod', testPod('later'));
    await b.mgr.start();
    await tick(80);
    assert.equal(b.mgr.podStatus('default', 'later'), undefined);
    b.runtime.unavailable = false;
    await waitFor('Running', () => phase(b, 'later') === 'Running', 6000);
    // Gone again mid-run while the container exits: restarted once the runtime is back.
    b.runtime.unavailable = true;
    const cur = [...b.runtime.containers.values()][0];
    assert.ok(cur !== undefined);
    b.runtime.exit(cur.c.id, 1);
    await tick(60);
    b.runtime.unavailable = false;
    await waitFor('restarted', () => restarts(b, 'later') === 1 && phase(b, 'later') === 'Running', 6000);
  });

  test('static pods run from a manifest directory and stay local', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'web.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n');
    const b = bed({ deps: { staticPodPath: dir } });
    await b.mgr.start();
    await waitFor('Running', () => b.mgr.podStatus('default', 'web-edge-1')?.['phase'] === 'Running');
    assert.equal(statusMessages(b).length, 0);
    assert.equal(eventsSent(b).length, 0);
    const loc = await b.mgr.locate('default', 'web-edge-1', '', false);
    assert.equal(loc.running, true);
    unlinkSync(file);
    await waitFor('removed', () => b.runtime.containers.size === 0, 8000);
  });

  test('stop({ killPods: true }) stops containers and sandboxes', async () => {
    const b = bed();
    b.store.put('pod', testPod('bye', { terminationGracePeriodSeconds: 3 }));
    await b.mgr.start();
    await waitFor('Running', () => phase(b, 'bye') === 'Running');
    await b.mgr.stop({ killPods: true });
    assert.ok([...b.runtime.containers.values()].every((c) => c.status.state === 'exited'));
    assert.ok([...b.runtime.sandboxes.values()].every((s) => s.sb.state === 'notready'));
    assert.ok(b.runtime.calls.some((c) => /^stopContainer c\d+ 3$/.test(c)));
  });
});
