import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSilentLogger } from '../../core/index.js';
import { ManualClock } from '../../testing/manual-clock.js';
import { ReconnectLoop, type LinkDriver } from './reconnect-loop.js';

// The loop against a scripted driver: no sockets. Each connect() takes the next scripted outcome.

interface FakeSession {
  id: number;
  end: (reason: string) => void;
  done: Promise<string>;
}

function setup(outcomes: ('ok' | 'fail')[]) {
  const clock = new ManualClock(0);
  const sessions: FakeSession[] = [];
  let connects = 0;
  const driver: LinkDriver<FakeSession> = {
    connect: async () => {
      connects += 1;
      if ((outcomes.shift() ?? 'ok') === 'fail') throw new Error('refused');
      let end: (r: string) => void = () => undefined;
      const done = new Promise<string>((r) => (end = r));
      const s = { id: sessions.length + 1, end, done };
      sessions.push(s);
      return s;
    },
    serve: (s) => s.done,
    close: (s, reason) => s.end(reason),
  };
  const loop = new ReconnectLoop(driver, {
    backoff: { initialMs: 100, maxMs: 1000, jitter: 0 },
    now: clock.now,
    timers: clock,
    random: () => 0,
    log: createSilentLogger(),
  });
  return { clock, loop, sessions, connects: () => connects };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

test('reconnect loop: failures back off 100, 200, 400; success resets after a stable link', async () => {
  const { clock, loop, sessions, connects } = setup(['fail', 'fail', 'fail', 'ok', 'ok', 'ok']);
  loop.start();
  loop.start(); // single flight
  await tick();
  assert.deepEqual(loop.state(), { kind: 'backoff', attempt: 1, retryInMs: 100, lastError: 'refused' });
  clock.advance(100);
  await tick();
  assert.equal((loop.state() as { retryInMs: number }).retryInMs, 200);
  clock.advance(200);
  await tick();
  assert.equal((loop.state() as { retryInMs: number }).retryInMs, 400);
  clock.advance(400);
  await tick();
  assert.equal(loop.state().kind, 'connected');
  assert.equal(connects(), 4);
  // A link that dies at once keeps growing the backoff…
  sessions[0]?.end('reset');
  await tick();
  assert.deepEqual(loop.state(), { kind: 'backoff', attempt: 4, retryInMs: 800, lastError: 'reset' });
  clock.advance(800);
  await tick();
  // …one that stayed up 10 s starts again from initialMs.
  clock.advance(10_000);
  sessions[1]?.end('cloudcore restarted');
  await tick();
  assert.deepEqual(loop.state(), { kind: 'backoff', attempt: 1, retryInMs: 100, lastError: 'cloudcore restarted' });
  await loop.stop();
  assert.deepEqual(loop.state(), { kind: 'stopped' });
  assert.equal(clock.pendingCount(), 0);
});

test('reconnect loop: reconnectNow skips the backoff; stop ends a live session', async () => {
  const { clock, loop, sessions, connects } = setup(['fail', 'ok', 'ok']);
  loop.start();
  await tick();
  assert.equal(loop.state().kind, 'backoff');
  loop.reconnectNow();
  await tick();
  assert.equal(loop.state().kind, 'connected');
  loop.reconnectNow();
  await tick();
  await tick();
  assert.equal(connects(), 3);
  assert.equal(sessions.length, 2);
  assert.equal(loop.state().kind, 'connected');
  await loop.stop();
  assert.equal(await sessions[1]?.done, 'stopping');
  clock.advance(60_000);
  assert.equal(connects(), 3);
});
