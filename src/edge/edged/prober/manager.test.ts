import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeRuntimeService } from '../../../testing/fake-runtime-service.js';
import { ManualClock } from '../../../testing/manual-clock.js';
import type { Json, Pod, PodContainer, ProbeKind, ProbeResult, ProbeTarget, RunProbe } from '../pod-contracts.js';
import { createProberManager } from './manager.js';

type Change = { containerId: string; kind: ProbeKind; result: ProbeResult };

const pod: Pod = { metadata: { name: 'p', namespace: 'default', uid: 'pod-1' }, spec: {} };
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function target(container: Partial<PodContainer>, containerId = 'c1'): ProbeTarget {
  return { pod, container: { name: 'app', ...container }, containerId, podIP: '10.0.0.2' };
}

/** A scripted prober: each kind answers from its queue (the last answer repeats) and counts calls. */
function scripted(script: Partial<Record<ProbeKind, ProbeResult[]>>) {
  const calls: ProbeKind[] = [];
  const runProbe: RunProbe = async (_probe, kind) => {
    calls.push(kind);
    const queue = script[kind] ?? ['success'];
    const result = (queue.length > 1 ? queue.shift() : queue[0]) ?? 'success';
    return { result, message: `${kind} said ${result}` };
  };
  return { calls, runProbe, count: (k: ProbeKind) => calls.filter((c) => c === k).length };
}

function setup(script: Partial<Record<ProbeKind, ProbeResult[]>>, runtime = new FakeRuntimeService()) {
  const clock = new ManualClock();
  const changes: Change[] = [];
  const probes = scripted(script);
  const manager = createProberManager({
    runtime, now: clock.now, timers: clock, random: () => 0, runProbe: probes.runProbe,
    onChange: (c) => changes.push({ containerId: c.containerId, kind: c.kind, result: c.result }),
  });
  /** Advances by whole periods, letting each probe attempt finish before the next timer. */
  const step = async (ms: number, times = 1): Promise<void> => {
    for (let i = 0; i < times; i++) {
      clock.advance(ms);
      await flush();
    }
  };
  return { clock, changes, probes, manager, step };
}

const every = (seconds: number, more: Json = {}): Json => ({ exec: { command: ['true'] }, periodSeconds: seconds, ...more });

describe('prober manager', () => {
  it('starts readiness as failure and flips it after successThreshold successes, then back after failureThreshold failures', async () => {
    const { manager, changes, step } = setup({ readiness: ['success', 'success', 'failure', 'failure', 'failure'] });
    manager.add(target({ readinessProbe: every(5, { successThreshold: 2 }) }));
    assert.equal(manager.result('c1', 'readiness'), 'failure');
    await step(0);
    assert.equal(manager.result('c1', 'readiness'), 'failure');
    await step(5000);
    assert.equal(manager.result('c1', 'readiness'), 'success');
    await step(5000, 2);
    assert.equal(manager.result('c1', 'readiness'), 'success');
    await step(5000);
    assert.equal(manager.result('c1', 'readiness'), 'failure');
    assert.deepEqual(changes, [
      { containerId: 'c1', kind: 'readiness', result: 'success' },
      { containerId: 'c1', kind: 'readiness', result: 'failure' },
    ]);
    manager.stop();
  });

  it('reports liveness failure each time failureThreshold is reached', async () => {
    const { manager, changes, step } = setup({ liveness: ['failure'] });
    manager.add(target({ livenessProbe: every(1, { failureThreshold: 2 }) }));
    assert.equal(manager.result('c1', 'liveness'), 'success');
    await step(0);
    assert.deepEqual(changes, []);
    await step(1000);
    assert.equal(manager.result('c1', 'liveness'), 'failure');
    assert.equal(changes.length, 1);
    await step(1000, 2);
    assert.deepEqual(changes, [
      { containerId: 'c1', kind: 'liveness', result: 'failure' },
      { containerId: 'c1', kind: 'liveness', result: 'failure' },
    ]);
    manager.stop();
  });

  it('gates liveness and readiness on startup, probes readiness as soon as startup passes, then stops startup', async () => {
    const { manager, changes, probes, step } = setup({ startup: ['failure', 'success'], readiness: ['success'], liveness: ['success'] });
    manager.add(target({ startupProbe: every(1, { failureThreshold: 30 }), livenessProbe: every(1), readinessProbe: every(1) }));
    assert.equal(manager.result('c1', 'startup'), 'failure');
    await step(0);
    assert.equal(probes.count('startup'), 1);
    assert.equal(probes.count('liveness') + probes.count('readiness'), 0);
    assert.equal(manager.result('c1', 'readiness'), 'failure');
    await step(1000);
    assert.equal(manager.result('c1', 'startup'), 'success');
    await step(0); // the readiness trigger is a timer due now
    assert.equal(probes.count('readiness'), 1, 'readiness runs right after startup succeeds');
    assert.equal(manager.result('c1', 'readiness'), 'success');
    await step(1000, 3);
    assert.equal(probes.count('startup'), 2, 'startup is not probed after it succeeded');
    assert.ok(probes.count('liveness') >= 3);
    assert.deepEqual(changes.map((c) => `${c.kind}:${c.result}`), ['startup:success', 'readiness:success']);
    manager.stop();
  });

  it('reports a startup failure past its threshold (the container must be restarted)', async () => {
    const { manager, changes, probes, step } = setup({ startup: ['failure'] });
    manager.add(target({ startupProbe: every(1, { failureThreshold: 3 }), livenessProbe: every(1) }));
    await step(0);
    await step(1000, 2);
    assert.deepEqual(changes, [{ containerId: 'c1', kind: 'startup', result: 'failure' }]);
    assert.equal(probes.count('liveness'), 0);
    manager.stop();
  });

  it('waits initialDelaySeconds counted from the container start', async () => {
    const runtime = new FakeRuntimeService();
    const { manager, probes, step, clock } = setup({ readiness: ['success'] }, runtime);
    runtime.putContainer({ id: 'c1', startedAt: clock.now() - 2000 });
    manager.add(target({ readinessProbe: every(10, { initialDelaySeconds: 5 }) }));
    await flush();
    await step(2900);
    assert.equal(probes.count('readiness'), 0);
    await step(100);
    assert.equal(probes.count('readiness'), 1);
    manager.stop();
  });

  it('spreads the first probe over a period while the manager is young', async () => {
    const clock = new ManualClock();
    const probes = scripted({});
    const manager = createProberManager({
      runtime: new FakeRuntimeService(), now: clock.now, timers: clock, random: () => 0.5, runProbe: probes.runProbe, onChange: () => undefined,
    });
    manager.add(target({ livenessProbe: every(10) }));
    clock.advance(4999);
    await flush();
    assert.equal(probes.count('liveness'), 0);
    clock.advance(1);
    await flush();
    assert.equal(probes.count('liveness'), 1);
    manager.stop();
  });

  it('throws unknown results away and retries them', async () => {
    const { manager, changes, probes, step } = setup({ readiness: ['unknown'] });
    manager.add(target({ readinessProbe: every(1, { failureThreshold: 1 }) }));
    await step(0);
    assert.equal(probes.count('readiness'), 3);
    assert.equal(manager.result('c1', 'readiness'), 'failure');
    assert.deepEqual(changes, []);
    manager.stop();
  });

  it('stops workers on remove() and stop(), and answers defaults for unknown containers', async () => {
    const { manager, probes, step, clock } = setup({});
    manager.add(target({ livenessProbe: every(1) }, 'c1'));
    manager.add(target({ livenessProbe: every(1) }, 'c2'));
    manager.add(target({ livenessProbe: every(1) }, 'c2')); // no-op
    manager.add(target({}, 'c3'));
    await step(0);
    assert.equal(probes.count('liveness'), 2);
    assert.equal(manager.result('c3', 'readiness'), 'success', 'no readiness probe: ready');
    assert.equal(manager.result('nope', 'readiness'), 'failure');
    assert.equal(manager.result('nope', 'liveness'), 'success');
    manager.remove('pod-1', 'c1');
    await step(1000);
    assert.equal(probes.count('liveness'), 3);
    manager.remove('pod-1');
    assert.equal(clock.pendingCount(), 0);
    manager.add(target({ livenessProbe: every(1) }, 'c4'));
    manager.stop();
    assert.equal(clock.pendingCount(), 0);
    manager.add(target({ livenessProbe: every(1) }, 'c5'));
    assert.equal(clock.pendingCount(), 0, 'a stopped manager starts nothing');
  });

  it('runs real exec probes through the runtime', async () => {
    const runtime = new FakeRuntimeService();
    runtime.putContainer({ id: 'c1' });
    runtime.scriptExec({ check: { exitCode: 1, stdout: Buffer.from('unhealthy') } });
    const clock = new ManualClock();
    const changes: { kind: ProbeKind; result: ProbeResult; message: string }[] = [];
    const manager = createProberManager({ runtime, now: clock.now, timers: clock, random: () => 0, onChange: (c) => changes.push(c) });
    manager.add(target({ livenessProbe: { exec: { command: ['check'] }, periodSeconds: 1, failureThreshold: 1 } }));
    clock.advance(0);
    for (let i = 0; i < 5 && changes.length === 0; i++) await flush();
    assert.deepEqual(changes.map((c) => ({ kind: c.kind, result: c.result, message: c.message })), [
      { kind: 'liveness', result: 'failure', message: 'unhealthy' },
    ]);
    manager.stop();
  });
});
