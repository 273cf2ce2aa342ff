import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from './token-bucket.js';

test('token bucket: burst, then qps refill, capped at burst', () => {
  const b = new TokenBucket(30, 60, 0);
  for (let i = 0; i < 60; i++) assert.equal(b.tryTake(0), true, `token ${i}`);
  assert.equal(b.tryTake(0), false);
  assert.equal(b.msUntilToken(0), 34); // 1000 / 30, rounded up
  assert.equal(b.tryTake(33), false);
  assert.equal(b.tryTake(34), true);
  assert.equal(b.available(1_000_000), 60);
});

test('token bucket: time going backwards adds nothing', () => {
  const b = new TokenBucket(1, 1, 1000);
  assert.equal(b.tryTake(1000), true);
  assert.equal(b.tryTake(500), false);
  assert.equal(b.tryTake(1999), false);
  assert.equal(b.tryTake(2000), true);
});
