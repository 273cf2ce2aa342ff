import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBackoff, formatGoDuration } from './backoff.js';

const S = 1000;

describe('crash-loop backoff', () => {
  it('lets a key with no failure go at once', () => {
    assert.equal(createBackoff().remaining('pod/app', 0), 0);
  });

  it('starts at 10 s and doubles per failure up to 5 min', () => {
    const b = createBackoff();
    const delays: number[] = [];
    let t = 1_000_000;
    for (let i = 0; i < 8; i++) {
      b.next('k', t);
      delays.push(b.remaining('k', t));
      t += b.remaining('k', t) + 2 * S; // restarted after the backoff, crashed 2 s later
    }
    assert.deepEqual(delays, [10, 20, 40, 80, 160, 300, 300, 300].map((s) => s * S));
  });

  it('counts down from the failure time', () => {
    const b = createBackoff();
    b.next('k', 100 * S);
    b.next('k', 101 * S);
    assert.equal(b.remaining('k', 105 * S), 16 * S);
    assert.equal(b.delay('k', 105 * S), 20 * S);
    assert.equal(b.remaining('k', 130 * S), 0);
  });

  it('keeps keys apart', () => {
    const b = createBackoff();
    b.next('a', 0);
    b.next('a', 0);
    b.next('b', 0);
    assert.equal(b.remaining('a', 0), 20 * S);
    assert.equal(b.remaining('b', 0), 10 * S);
  });

  it('starts over after 2 x max without a failure (10 min)', () => {
    const b = createBackoff();
    for (let i = 0; i < 6; i++) b.next('k', 0);
    assert.equal(b.remaining('k', 0), 300 * S);
    assert.equal(b.delay('k', 600 * S), 300 * S, 'still remembered at exactly 10 min');
    assert.equal(b.remaining('k', 600 * S + 1), 0);
    b.next('k', 600 * S + 1);
    assert.equal(b.remaining('k', 600 * S + 1), 10 * S);
  });

  it('honours custom limits and reset()', () => {
    const b = createBackoff({ initialMs: 100, maxMs: 250, resetAfterMs: 1000 });
    b.next('k', 0);
    b.next('k', 0);
    b.next('k', 0);
    assert.equal(b.remaining('k', 0), 250);
    b.reset('k');
    assert.equal(b.remaining('k', 0), 0);
    b.next('k', 0);
    assert.equal(b.remaining('k', 1001), 0);
  });

  it('gc forgets idle keys only', () => {
    const b = createBackoff({ resetAfterMs: 1000 });
    b.next('old', 0);
    b.next('old', 0);
    b.next('new', 900);
    b.gc(1500);
    b.next('old', 1500);
    b.next('new', 1500);
    assert.equal(b.delay('old', 1500), 10 * S, 'old starts over');
    assert.equal(b.delay('new', 1500), 20 * S, 'new was kept');
  });

  it('formats delays as Go durations', () => {
    assert.equal(formatGoDuration(10 * S), '10s');
    assert.equal(formatGoDuration(80 * S), '1m20s');
    assert.equal(formatGoDuration(300 * S), '5m0s');
  });
});
