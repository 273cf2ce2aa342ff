import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EdgeHubError } from './errors.js';
import { canTransition, LinkStateMachine } from './link-state.js';

test('link state: the normal path and reconnectNow are allowed', () => {
  const m = new LinkStateMachine();
  assert.equal(m.state.kind, 'bootstrapping');
  m.to({ kind: 'connecting', attempt: 1 });
  m.to({ kind: 'connected', since: 1 });
  m.to({ kind: 'connecting', attempt: 1 });
  m.to({ kind: 'backoff', attempt: 1, retryInMs: 10, lastError: 'x' });
  m.to({ kind: 'connecting', attempt: 2 });
  m.to({ kind: 'stopped' });
  assert.deepEqual(m.state, { kind: 'stopped' });
});

test('link state: moves outside the table throw', () => {
  const m = new LinkStateMachine();
  assert.throws(() => m.to({ kind: 'connected', since: 1 }), (e: unknown) => e instanceof EdgeHubError && e.code === 'invalid_transition');
  m.to({ kind: 'stopped' });
  assert.throws(() => m.to({ kind: 'connecting', attempt: 1 }));
  assert.equal(canTransition('backoff', 'connected'), false);
  assert.equal(canTransition('connecting', 'connecting'), false);
});
