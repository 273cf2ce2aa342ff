import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from './rate-limiter.js';

test('the burst passes, then one request per refilled token', () => {
  let now = 1000;
  const limiter = new RateLimiter(2, 3, () => now);
  assert.deepEqual([1, 2, 3, 4].map(() => limiter.allow()), [true, true, true, false]);
  now += 500; // one token at 2/s
  assert.equal(limiter.allow(), true);
  assert.equal(limiter.allow(), false);
  now += 60_000; // refills to the burst, not beyond
  assert.deepEqual([1, 2, 3, 4].map(() => limiter.allow()), [true, true, true, false]);
});

test('a clock stepping back refills nothing', () => {
  let now = 10_000;
  const limiter = new RateLimiter(1, 1, () => now);
  assert.equal(limiter.allow(), true);
  now = 0;
  assert.equal(limiter.allow(), false);
});
