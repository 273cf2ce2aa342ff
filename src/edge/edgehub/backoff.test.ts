import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { backoffCeiling, backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';

describe('backoff', () => {
  const policy: BackoffPolicy = { initialMs: 300, maxMs: 30_000, jitter: 1 };

  test('ceiling doubles from initialMs and stops at maxMs', () => {
    const seq = [1, 2, 3, 4, 5, 6, 7, 8, 9, 50, 5000].map((a) => backoffCeiling(a, policy));
    assert.deepEqual(seq, [300, 600, 1200, 2400, 4800, 9600, 19200, 30000, 30000, 30000, 30000]);
  });

  test('attempt below 1 counts as the first retry', () => {
    assert.equal(backoffCeiling(0, policy), 300);
    assert.equal(backoffCeiling(-3, policy), 300);
  });

  test('full jitter draws uniformly on [0, ceiling]', () => {
    assert.equal(backoffDelay(3, policy, () => 0), 1200);
    assert.equal(backoffDelay(3, policy, () => 0.5), 600);
    assert.equal(backoffDelay(3, policy, () => 0.999999), 0);
    for (let a = 1; a < 20; a++) {
      const d = backoffDelay(a, policy, Math.random);
      assert.ok(d >= 0 && d <= 30_000, `attempt ${a}: ${d}`);
    }
  });

  test('no jitter gives the ceiling; partial jitter keeps a floor', () => {
    assert.equal(backoffDelay(2, { ...policy, jitter: 0 }, () => 0.7), 600);
    assert.equal(backoffDelay(2, { ...policy, jitter: 0.5 }, () => 1), 300);
  });

  test('the first retry of the defaults is quick (under 3 s to be back after a restart)', () => {
    assert.ok(backoffCeiling(1, DEFAULT_BACKOFF) + backoffCeiling(2, DEFAULT_BACKOFF) < 3000);
    assert.equal(backoffCeiling(100, DEFAULT_BACKOFF), 30_000);
  });
});
