import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSilentLogger } from '../../core/index.js';
import { FakeKubeClient } from '../../testing/fake-kube-client.js';
import { Informer, KubeError, Resources, type InformerTimers } from './index.js';

/** Timers that fire only when the test says so. */
function manualTimers(): InformerTimers & { pending: number[]; fire(): void } {
  const q: { fn: () => void; ms: number; id: number }[] = [];
  let next = 0;
  return {
    get pending() { return q.map((t) => t.ms); },
    setTimeout: (fn, ms) => { const id = ++next; q.push({ fn, ms, id }); return id; },
    clearTimeout: (h) => { const i = q.findIndex((t) => t.id === h); if (i >= 0) q.splice(i, 1); },
    fire: () => { const t = q.shift(); t?.fn(); },
  };
}

const tick = () => new Promise<void>((r) => setImmediate(r));
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await tick();
  assert.ok(cond(), 'condition not reached');
}

function recorder() {
  const log: string[] = [];
  return {
    log,
    handlers: {
      add: (o: { metadata: { name?: string } }) => log.push(`add:${o.metadata.name}`),
      update: (_o: unknown, n: { metadata: { name?: string } }) => log.push(`update:${n.metadata.name}`),
      delete: (o: { metadata: { name?: string } }) => log.push(`delete:${o.metadata.name}`),
    },
  };
}

describe('Informer', () => {
  test('lists, syncs, then follows watch events into the cache', async () => {
    const k = new FakeKubeClient();
    await k.create(Resources.configmaps, { metadata: { name: 'a', namespace: 'default' } });
    const r = recorder();
    const inf = new Informer({ client: k, ref: Resources.configmaps, log: createSilentLogger(), handlers: r.handlers });
    assert.equal(inf.hasSynced(), false);
    inf.start();
    assert.equal(await inf.waitForSync(), true);
    assert.deepEqual(r.log, ['add:a']);
    await until(() => k.watcherCount() === 1);
    await k.create(Resources.configmaps, { metadata: { name: 'b', namespace: 'default' } });
    await k.patch(Resources.configmaps, 'default', 'a', { data: { x: '1' } }, 'merge');
    await k.delete(Resources.configmaps, 'default', 'b');
    assert.deepEqual(r.log, ['add:a', 'add:b', 'update:a', 'delete:b']);
    assert.deepEqual(inf.get('default', 'a')?.['data'], { x: '1' });
    assert.equal(inf.get('default', 'b'), undefined);
    assert.deepEqual(inf.list().map((o) => o.metadata.name), ['a']);
    inf.stop();
    await until(() => k.watcherCount() === 0);
  });

  test('selectors and namespace are passed to list and watch', async () => {
    const k = new FakeKubeClient();
    await k.create(Resources.pods, { metadata: { name: 'p1', namespace: 'default' }, spec: { nodeName: 'edge-1' } });
    await k.create(Resources.pods, { metadata: { name: 'p2', namespace: 'default' }, spec: { nodeName: 'edge-2' } });
    const inf = new Informer({ client: k, ref: Resources.pods, log: createSilentLogger(), namespace: 'default', fieldSelector: 'spec.nodeName=edge-1' });
    inf.start();
    await inf.waitForSync();
    await until(() => k.watcherCount() === 1);
    await k.create(Resources.pods, { metadata: { name: 'p3', namespace: 'default' }, spec: { nodeName: 'edge-2' } });
    await k.create(Resources.pods, { metadata: { name: 'p4', namespace: 'default' }, spec: { nodeName: 'edge-1' } });
    assert.deepEqual(inf.list().map((o) => o.metadata.name).sort(), ['p1', 'p4']);
    inf.stop();
  });

  test('a clean watch end resumes from the last rv without a relist', async () => {
    const k = new FakeKubeClient();
    const inf = new Informer({ client: k, ref: Resources.nodes, log: createSilentLogger() });
    inf.start();
    await inf.waitForSync();
    await until(() => k.watcherCount() === 1);
    await k.create(Resources.nodes, { metadata: { name: 'n1' } });
    k.endWatches();
    await until(() => k.watcherCount() === 1);
    await k.create(Resources.nodes, { metadata: { name: 'n2' } });
    assert.deepEqual(inf.list().map((o) => o.metadata.name).sort(), ['n1', 'n2']);
    assert.equal(k.calls.filter((c) => c.method === 'list').length, 1);
    inf.stop();
  });

  test('410 Expired relists at once, without a backoff timer', async () => {
    const k = new FakeKubeClient();
    await k.create(Resources.nodes, { metadata: { name: 'n1' } });
    const timers = manualTimers();
    const inf = new Informer({ client: k, ref: Resources.nodes, log: createSilentLogger(), timers });
    inf.start();
    await inf.waitForSync();
    await until(() => k.watcherCount() === 1);
    k.expireWatches();
    await until(() => k.calls.filter((c) => c.method === 'list').length === 2 && k.watcherCount() === 1);
    assert.deepEqual(timers.pending, []);
    await k.create(Resources.nodes, { metadata: { name: 'n2' } });
    assert.deepEqual(inf.list().map((o) => o.metadata.name).sort(), ['n1', 'n2']);
    inf.stop();
  });

  test('errors back off (injected timers), then relist replays the difference', async () => {
    const k = new FakeKubeClient();
    await k.create(Resources.nodes, { metadata: { name: 'n1' } });
    const timers = manualTimers();
    const r = recorder();
    const inf = new Informer({
      client: k, ref: Resources.nodes, log: createSilentLogger(), handlers: r.handlers, timers, random: () => 0,
      initialBackoffMs: 100,
    });
    inf.start();
    await inf.waitForSync();
    await until(() => k.watcherCount() === 1);
    k.failNext('list', new KubeError(500, 'InternalError', 'down'));
    k.failNext('list', new KubeError(500, 'InternalError', 'down'));
    k.expireWatches();
    await until(() => timers.pending.length === 1);
    assert.deepEqual(timers.pending, [50]);
    // While the informer is away, n1 goes and n2 comes.
    await k.delete(Resources.nodes, null, 'n1');
    await k.create(Resources.nodes, { metadata: { name: 'n2' } });
    assert.deepEqual(r.log, ['add:n1']);
    timers.fire();
    await until(() => timers.pending.length === 1);
    assert.deepEqual(timers.pending, [100]);
    timers.fire();
    await until(() => k.watcherCount() === 1);
    assert.deepEqual(r.log, ['add:n1', 'add:n2', 'delete:n1']);
    assert.deepEqual(inf.list().map((o) => o.metadata.name), ['n2']);
    inf.stop();
  });

  test('waitForSync resolves false on abort and on stop; handlers added late get replayed adds', async () => {
    const k = new FakeKubeClient();
    await k.create(Resources.nodes, { metadata: { name: 'n1' } });
    const inf = new Informer({ client: k, ref: Resources.nodes, log: createSilentLogger() });
    const ac = new AbortController();
    const w = inf.waitForSync(ac.signal);
    ac.abort();
    assert.equal(await w, false);
    const w2 = inf.waitForSync();
    inf.stop();
    assert.equal(await w2, false);
    const inf2 = new Informer({ client: k, ref: Resources.nodes, log: createSilentLogger() });
    inf2.start();
    await inf2.waitForSync();
    const r = recorder();
    inf2.addHandlers(r.handlers);
    assert.deepEqual(r.log, ['add:n1']);
    inf2.stop();
  });
});
