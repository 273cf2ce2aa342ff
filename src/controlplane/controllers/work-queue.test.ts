import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSilentLogger } from '../../core/log/index.js';
import { errors } from '../errors.js';
import { WorkQueue, type ProcessResult } from './work-queue.js';

const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

function queueWith(process: (key: string) => ProcessResult | Promise<ProcessResult>, concurrency = 1): { q: WorkQueue; ac: AbortController } {
  const q = new WorkQueue({ name: 't', log: createSilentLogger(), process, concurrency, retryDelayMs: 1, maxRetryDelayMs: 4 });
  const ac = new AbortController();
  return { q, ac };
}

describe('work queue', () => {
  test('a key added twice before processing is processed once', async () => {
    const seen: string[] = [];
    const { q, ac } = queueWith((k) => { seen.push(k); });
    q.add('a');
    q.add('a');
    q.add('b');
    q.start(ac.signal);
    for (let i = 0; i < 200 && seen.length < 2; i++) await tick(2);
    await tick(10);
    ac.abort();
    assert.deepEqual(seen, ['a', 'b']);
  });

  test('never runs one key twice at once; an add during processing runs it again afterwards', async () => {
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    let release: () => void = () => undefined;
    const { q, ac } = queueWith(async () => {
      calls++;
      running++;
      maxRunning = Math.max(maxRunning, running);
      if (calls === 1) await new Promise<void>((r) => { release = r; });
      running--;
    }, 4);
    q.start(ac.signal);
    q.add('k');
    for (let i = 0; i < 200 && calls < 1; i++) await tick(2);
    q.add('k');
    q.add('k');
    await tick(5);
    assert.equal(calls, 1);
    release();
    for (let i = 0; i < 200 && calls < 2; i++) await tick(2);
    await tick(10);
    ac.abort();
    assert.equal(calls, 2);
    assert.equal(maxRunning, 1);
  });

  test('failures and conflicts retry with backoff until success', async () => {
    let calls = 0;
    const { q, ac } = queueWith(() => {
      calls++;
      if (calls === 1) throw errors.conflict({ group: '', resource: 'pods' }, 'p', 'the object has been modified');
      if (calls === 2) throw new Error('boom');
    });
    q.start(ac.signal);
    q.add('k');
    for (let i = 0; i < 500 && calls < 3; i++) await tick(2);
    ac.abort();
    assert.equal(calls, 3);
  });

  test('requeueAfterMs brings a key back; shutdown drains and drops pending work', async () => {
    let calls = 0;
    const { q, ac } = queueWith(() => { calls++; return calls === 1 ? { requeueAfterMs: 5 } : undefined; });
    q.start(ac.signal);
    q.add('k');
    for (let i = 0; i < 500 && calls < 2; i++) await tick(2);
    assert.equal(calls, 2);
    q.addAfter('k', 10_000);
    ac.abort();
    await q.drained();
    q.add('k');
    await tick(5);
    assert.equal(calls, 2);
  });
});
