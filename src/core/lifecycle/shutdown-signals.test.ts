import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createTestLogger } from '../log/index.js';
import { onShutdownSignals, untilAborted } from './index.js';

describe('onShutdownSignals', () => {
  test('first signal stops the manager; resolves after stop and removes its listeners', async () => {
    const source = new EventEmitter();
    let stops = 0;
    const manager = { stop: async () => void stops++ };
    const done = onShutdownSignals(manager, createTestLogger(), { source });
    assert.equal(source.listenerCount('SIGTERM'), 1);
    source.emit('SIGTERM');
    assert.deepEqual(await done, { signal: 'SIGTERM', forced: false });
    assert.equal(stops, 1);
    assert.equal(source.listenerCount('SIGTERM') + source.listenerCount('SIGINT'), 0);
  });

  test('a second signal while stopping resolves at once as forced', async () => {
    const source = new EventEmitter();
    const log = createTestLogger();
    const manager = { stop: () => new Promise<void>(() => undefined) }; // never finishes
    const done = onShutdownSignals(manager, log, { source });
    source.emit('SIGINT');
    source.emit('SIGINT');
    assert.deepEqual(await done, { signal: 'SIGINT', forced: true });
    assert.equal(log.find('shutting down').length, 1);
  });
});

describe('untilAborted', () => {
  test('resolves on abort, at once when already aborted', async () => {
    const ac = new AbortController();
    const p = untilAborted(ac.signal);
    ac.abort();
    await p;
    await untilAborted(ac.signal);
  });
});
