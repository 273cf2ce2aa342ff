// The pod manager with its real parts (podspec, prober, podstatus) on the real process runtime:
// host processes, CRI log files, and the reboot path (processes gone, state on disk).
import { test, describe, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestLogger, type Message } from '../../../core/index.js';
import { createProcessRuntime } from '../../runtime/index.js';
import { FakePodStore, containerStatusOf, testPod, waitFor } from '../../../testing/fake-pod-parts.js';
import type { Json } from '../pod-contracts.js';
import { PodManager, defaultPodParts } from './index.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type ProcessRuntime = Awaited<ReturnType<typeof createProcessRuntime>>;

async function edge(dir: string, store: FakePodStore, messages: Message[]): Promise<{ mgr: PodManager; runtime: ProcessRuntime }> {
  const log = createTestLogger({ level: 'warn' });
  const runtime = await createProcessRuntime({ stateDir: path.join(dir, 'runtime'), log, nodeIP: '127.0.0.1' });
  const mgr = new PodManager({
    nodeName: 'edge-1', runtime, store, log, dataDir: dir, parts: defaultPodParts(), relistMs: 50,
    hub: { enqueue: (m) => void messages.push(m) },
    node: () => ({ nodeName: 'edge-1', nodeIP: '127.0.0.1', allocatable: { cpu: 2, memory: 4e9 } }),
  });
  cleanups.push(async () => {
    await mgr.stop();
    await runtime.stopAll(0);
    await runtime.close();
  });
  return { mgr, runtime };
}

const app = (command: string): Json[] => [{ name: 'app', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['/bin/sh', '-c', command] }];

describe('PodManager on the process runtime', () => {
  test('runs a pod, writes its log, stops it on deletion, and brings it back after a reboot', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pods-proc-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const store = new FakePodStore();
    const messages: Message[] = [];
    store.put('pod', testPod('web', { containers: app('echo hello-from-web; exec sleep 30'), terminationGracePeriodSeconds: 2 }));
    store.put('pod', testPod('job', { containers: app('echo done'), restartPolicy: 'OnFailure' }));
    const first = await edge(dir, store, messages);
    await first.mgr.start();
    await waitFor('web Running', () => first.mgr.podStatus('default', 'web')?.['phase'] === 'Running', 15_000);
    await waitFor('job Succeeded', () => first.mgr.podStatus('default', 'job')?.['phase'] === 'Succeeded', 15_000);
    const loc = await first.mgr.locate('default', 'web', '', false);
    await waitFor('log line', () => readFileSync(loc.logPath, 'utf8').includes('hello-from-web'), 5000);
    const reasons = messages.filter((m) => m.route.resource.includes('/event/')).map((m) => (m.content as Json)['reason']);
    assert.ok(reasons.includes('NoIsolation'));
    assert.ok(messages.some((m) => m.route.resource === 'default/podstatus/web'));

    // Reboot: edgecore and every process it started die; the runtime's state file survives.
    await first.mgr.stop();
    await first.runtime.stopAll(0);
    await first.runtime.close();
    const second = await edge(dir, store, messages);
    const t0 = Date.now();
    await second.mgr.start();
    await waitFor('web Running again', () => {
      const s = second.mgr.podStatus('default', 'web');
      return s?.['phase'] === 'Running' && containerStatusOf(s)?.['restartCount'] === 1 && (containerStatusOf(s)?.['state'] as Json)['running'] !== undefined;
    }, 30_000);
    assert.ok(Date.now() - t0 < 5000, 'back within 5 s');
    assert.equal(second.mgr.podStatus('default', 'job')?.['phase'], 'Succeeded');

    store.put('pod', testPod('web', { containers: app('exec sleep 30'), terminationGracePeriodSeconds: 2 }, { deletionTimestamp: new Date().toISOString(), deletionGracePeriodSeconds: 2 }));
    await waitFor('final status', () => {
      const s = second.mgr.podStatus('default', 'web');
      return s !== undefined && ['Succeeded', 'Failed'].includes(String(s['phase'])) && (containerStatusOf(s)?.['state'] as Json)['terminated'] !== undefined;
    }, 15_000);
    store.delete('pod', 'default', 'web');
    await waitFor('removed', () => second.mgr.counts().pods === 1, 10_000);
  });
});
