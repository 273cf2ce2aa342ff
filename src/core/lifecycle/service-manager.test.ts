import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createTestLogger } from '../log/index.js';
import {
  LifecycleError,
  ServiceFailedError,
  ServiceManager,
  untilAborted,
  type Service,
  type ServiceContext,
} from './index.js';

/** A service that records what happens to it into a shared journal. */
function recorder(
  journal: string[],
  name: string,
  opts: { dependsOn?: string[]; beforeReady?: () => Promise<void>; afterAbort?: () => Promise<void> } = {},
): Service {
  return {
    name,
    dependsOn: opts.dependsOn,
    async run({ signal, ready }: ServiceContext) {
      journal.push(`run ${name}`);
      await opts.beforeReady?.();
      ready();
      await untilAborted(signal);
      journal.push(`abort ${name}`);
      await opts.afterAbort?.();
      journal.push(`end ${name}`);
    },
  };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('ServiceManager', () => {
  test('starts after dependencies are ready and stops in reverse order', async () => {
    const journal: string[] = [];
    const log = createTestLogger();
    const m = new ServiceManager({ log });
    // added out of order on purpose: db <- hub <- api, and api also needs db
    m.add(recorder(journal, 'api', { dependsOn: ['hub', 'db'] }));
    m.add(recorder(journal, 'hub', { dependsOn: ['db'], beforeReady: tick }));
    m.add(recorder(journal, 'db', { beforeReady: async () => { await tick(); await tick(); } }));
    assert.equal(m.state, 'idle');
    const started = m.start();
    assert.equal(m.state, 'starting');
    await started;
    assert.equal(m.state, 'running');
    assert.deepEqual(journal, ['run db', 'run hub', 'run api']);
    journal.length = 0;
    await m.stop();
    assert.equal(m.state, 'stopped');
    assert.deepEqual(journal, ['abort api', 'end api', 'abort hub', 'end hub', 'abort db', 'end db']);
    await m.wait();
    const words = log.lines.filter((l) => l.component === 'db').map((l) => l.msg);
    assert.deepEqual(words, ['starting', 'ready', 'stopping', 'stopped']);
  });

  test('stop() waits for every run() to finish its cleanup', async () => {
    const journal: string[] = [];
    const m = new ServiceManager({ log: createTestLogger() });
    m.add(recorder(journal, 'slow', { afterAbort: async () => { await tick(); await tick(); journal.push('cleaned'); } }));
    await m.start();
    await m.stop();
    assert.deepEqual(journal.slice(-3), ['abort slow', 'cleaned', 'end slow']);
  });

  test('a failure before ready rejects start, stops the others, never starts dependents', async () => {
    const journal: string[] = [];
    const m = new ServiceManager({ log: createTestLogger() });
    m.add(recorder(journal, 'db'));
    m.add({
      name: 'hub',
      dependsOn: ['db'],
      run: async () => {
        journal.push('run hub');
        throw new Error('port in use');
      },
    });
    m.add(recorder(journal, 'api', { dependsOn: ['hub'] }));
    await assert.rejects(m.start(), (err: unknown) => {
      assert.ok(err instanceof ServiceFailedError);
      assert.equal(err.service, 'hub');
      assert.match(err.message, /port in use/);
      return true;
    });
    assert.equal(m.state, 'failed');
    assert.ok(journal.includes('end db'), 'db was stopped before start() rejected');
    await assert.rejects(m.wait(), ServiceFailedError);
    assert.ok(!journal.includes('run api'), 'api never started');
    await m.stop(); // harmless after failure
    assert.equal(m.state, 'failed');
  });

  test('a failure while running stops everything and wait() rejects', async () => {
    const journal: string[] = [];
    let crash!: (err: Error) => void;
    const m = new ServiceManager({ log: createTestLogger() });
    m.add(recorder(journal, 'db'));
    m.add({
      name: 'worker',
      dependsOn: ['db'],
      run: ({ ready }) =>
        new Promise<void>((_, reject) => {
          crash = reject;
          ready();
        }),
    });
    await m.start();
    crash(new Error('disk gone'));
    await assert.rejects(m.wait(), /worker.*disk gone/);
    assert.equal(m.state, 'failed');
    assert.ok(journal.includes('end db'));
  });

  test('a service that returns before ready() counts as ready (one-shot)', async () => {
    const journal: string[] = [];
    const m = new ServiceManager({ log: createTestLogger() });
    m.add({ name: 'install-crds', run: async () => void journal.push('installed') });
    m.add(recorder(journal, 'api', { dependsOn: ['install-crds'] }));
    await m.start();
    assert.deepEqual(journal, ['installed', 'run api']);
    await m.stop();
  });

  test('rejecting after abort is a normal stop', async () => {
    const m = new ServiceManager({ log: createTestLogger() });
    m.add({
      name: 'reader',
      run: async ({ signal, ready }) => {
        ready();
        await untilAborted(signal);
        throw signal.reason;
      },
    });
    await m.start();
    await m.stop();
    assert.equal(m.state, 'stopped');
    await m.wait();
  });

  test('stop() during start rejects start() and stops what runs', async () => {
    const journal: string[] = [];
    const m = new ServiceManager({ log: createTestLogger() });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    m.add(recorder(journal, 'db', { beforeReady: () => gate }));
    m.add(recorder(journal, 'api', { dependsOn: ['db'] }));
    const started = m.start();
    await tick();
    const stopped = m.stop();
    assert.equal(m.state, 'stopping');
    release();
    await assert.rejects(started, (e: unknown) => e instanceof LifecycleError && e.code === 'stopped_during_start');
    await stopped;
    assert.equal(m.state, 'stopped');
    assert.ok(!journal.includes('run api'));
  });

  test('graph errors and misuse are LifecycleErrors', async () => {
    const isCode = (code: string) => (e: unknown) => e instanceof LifecycleError && e.code === code;
    const noop: Service['run'] = async () => undefined;
    const unknown = new ServiceManager({ log: createTestLogger() }).add({ name: 'a', dependsOn: ['zz'], run: noop });
    await assert.rejects(unknown.start(), isCode('unknown_dependency'));
    const cyclic = new ServiceManager({ log: createTestLogger() })
      .add({ name: 'a', dependsOn: ['b'], run: noop })
      .add({ name: 'b', dependsOn: ['c'], run: noop })
      .add({ name: 'c', dependsOn: ['a'], run: noop });
    await assert.rejects(cyclic.start(), (e: unknown) => isCode('dependency_cycle')(e) && /a -> b -> c -> a/.test(String(e)));
    const m = new ServiceManager({ log: createTestLogger() }).add({ name: 'a', run: noop });
    assert.throws(() => m.add({ name: 'a', run: noop }), isCode('duplicate_service'));
    await m.start();
    await assert.rejects(m.start(), isCode('invalid_transition'));
    assert.throws(() => m.add({ name: 'b', run: noop }), isCode('invalid_transition'));
    await m.stop();
  });

  test('stop() before start goes straight to stopped', async () => {
    const m = new ServiceManager({ log: createTestLogger() });
    await m.stop();
    assert.equal(m.state, 'stopped');
    await m.wait();
  });
});
