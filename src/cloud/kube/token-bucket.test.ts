import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  test('burst goes at once, then one token per 1/qps seconds', () => {
    let now = 0;
    const b = new TokenBucket({ qps: 10, burst: 3, now: () => now });
    assert.deepEqual([b.reserve(), b.reserve(), b.reserve()], [0, 0, 0]);
    assert.equal(Math.round(b.reserve()), 100);
    assert.equal(Math.round(b.reserve()), 200);
    now = 1000;
    // 10 tokens refilled, capped at burst 3, minus the 2 reserved in debt.
    assert.equal(b.reserve(), 0);
  });

  test('qps <= 0 disables the limit; acquire sleeps for the reserved wait', async () => {
    const off = new TokenBucket({ qps: 0, burst: 0 });
    for (let i = 0; i < 100; i++) assert.equal(off.reserve(), 0);
    const slept: number[] = [];
    const b = new TokenBucket({ qps: 1, burst: 1, now: () => 0, sleep: async (ms) => { slept.push(ms); } });
    await b.acquire();
    await b.acquire();
    assert.deepEqual(slept, [1000]);
  });
});
