import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reconnectDelay, resolveReconnectPolicy } from './reconnect-delay.js';

const policy = { minMs: 100, maxMs: 1000 };

test('the ceiling doubles per attempt and stops at maxMs', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 50].map((a) => reconnectDelay(a, policy, () => 0.999999)), [100, 200, 400, 800, 1000, 1000]);
});

test('jitter draws in [ceiling/2, ceiling], never zero', () => {
  assert.equal(reconnectDelay(1, policy, () => 0), 50);
  assert.equal(reconnectDelay(3, policy, () => 0.5), 300);
  assert.equal(reconnectDelay(1000, policy, () => 0), 500);
});

test('policy defaults and a max below the min', () => {
  assert.deepEqual(resolveReconnectPolicy(undefined), { minMs: 500, maxMs: 30_000 });
  assert.deepEqual(resolveReconnectPolicy({ minMs: 2000, maxMs: 10 }), { minMs: 2000, maxMs: 2000 });
});
