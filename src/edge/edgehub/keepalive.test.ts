import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Keepalive } from './keepalive.js';
import { ManualClock } from '../../testing/manual-clock.js';

function setup(): { clock: ManualClock; beats: number[]; silences: number[]; ka: Keepalive } {
  const clock = new ManualClock(0);
  const beats: number[] = [];
  const silences: number[] = [];
  const ka = new Keepalive(
    { beat: () => beats.push(clock.now()), onSilence: (idle) => silences.push(idle) },
    { heartbeatMs: 15_000, silenceTimeoutMs: 45_000, now: clock.now, timers: clock },
  );
  return { clock, beats, silences, ka };
}

test('keepalive: one beat at start, then every heartbeat', () => {
  const { clock, beats, ka } = setup();
  ka.start();
  clock.advance(44_000);
  assert.deepEqual(beats, [0, 15_000, 30_000]);
  ka.frameReceived();
  clock.advance(16_000);
  assert.deepEqual(beats, [0, 15_000, 30_000, 45_000, 60_000]);
  ka.stop();
  clock.advance(100_000);
  assert.equal(beats.length, 5);
  assert.equal(clock.pendingCount(), 0);
});

test('keepalive: silence for silenceTimeoutMs is reported once and stops the beats', () => {
  const { clock, beats, silences, ka } = setup();
  ka.start();
  clock.advance(44_999);
  assert.deepEqual(silences, []);
  clock.advance(1);
  assert.deepEqual(silences, [45_000]);
  clock.advance(200_000);
  assert.deepEqual(silences, [45_000]);
  // At 45 s the silence check runs first (armed earlier): no beat goes out on a dead link.
  assert.deepEqual(beats, [0, 15_000, 30_000]);
});

test('keepalive: frames push the deadline out', () => {
  const { clock, silences, ka } = setup();
  ka.start();
  clock.advance(40_000);
  ka.frameReceived();
  clock.advance(40_000);
  assert.deepEqual(silences, []);
  clock.advance(5_000);
  assert.deepEqual(silences, [45_000]);
});
