import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { newMessage, type Message } from '../../core/index.js';
import { ManualClock } from '../../testing/manual-clock.js';
import { Outbox } from './outbox.js';
import { OutboxSender, type OutboxLink } from './outbox-sender.js';

function status(n: number): Message {
  return newMessage(
    { source: 'edged', group: 'resource', operation: 'update', resource: `default/podstatus/p${n}`, content: { n } },
    { newId: () => `id-${n}`, now: () => n },
  );
}

interface FakeLink extends OutboxLink {
  written: string[];
  tokens: number;
  callbacks: ((err?: Error) => void)[];
}

function fakeLink(acks: boolean, tokens = Infinity): FakeLink {
  const link: FakeLink = {
    acks,
    written: [],
    tokens,
    callbacks: [],
    takeToken: () => (link.tokens-- > 0),
    write: (text, cb) => {
      link.written.push((JSON.parse(text) as Message).header.msg_id);
      link.callbacks.push(cb);
    },
  };
  return link;
}

describe('outbox table', () => {
  test('rows survive closing and reopening the database file, in order', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edgehub-outbox-'));
    try {
      const file = path.join(dir, 'edgecore.db');
      let db = new Database(file);
      const box = new Outbox(db);
      for (const n of [1, 2, 3]) assert.equal(box.add(status(n), 0), true);
      assert.equal(box.add(status(2), 0), false, 'same msg_id twice keeps one row');
      db.close();
      db = new Database(file);
      const again = new Outbox(db);
      assert.deepEqual(again.after(0, 10).map((r) => r.msgId), ['id-1', 'id-2', 'id-3']);
      assert.equal(again.depth(), 3);
      assert.equal(again.remove('id-1'), true);
      assert.equal(again.remove('id-1'), false);
      assert.deepEqual(again.after(0, 1).map((r) => r.msgId), ['id-2']);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('outbox sender', () => {
  function setup(window = 2): { box: Outbox; clock: ManualClock; sender: OutboxSender } {
    const box = new Outbox(new Database(':memory:'));
    const clock = new ManualClock(0);
    const sender = new OutboxSender(box, { window, resendTimeoutMs: 10_000, now: clock.now });
    return { box, clock, sender };
  }

  test('sends in seq order within the window; acks open the window', () => {
    const { box, sender } = setup(2);
    for (const n of [1, 2, 3, 4]) box.add(status(n), 0);
    const link = fakeLink(true);
    sender.attach(link);
    assert.equal(sender.pump(), 'window_full');
    assert.deepEqual(link.written, ['id-1', 'id-2']);
    assert.equal(sender.settle('id-2'), true);
    sender.pump();
    assert.deepEqual(link.written, ['id-1', 'id-2', 'id-3']);
    assert.deepEqual(box.after(0, 10).map((r) => r.msgId), ['id-1', 'id-3', 'id-4']);
  });

  test('an overdue message makes the sender go back and resend in order', () => {
    const { box, clock, sender } = setup(8);
    for (const n of [1, 2, 3]) box.add(status(n), 0);
    const link = fakeLink(true);
    sender.attach(link);
    sender.pump();
    sender.settle('id-2');
    assert.equal(sender.nextResendAt(), 10_000);
    clock.advance(9_999);
    assert.equal(sender.checkResend(), false);
    clock.advance(1);
    assert.equal(sender.checkResend(), true);
    sender.pump();
    assert.deepEqual(link.written, ['id-1', 'id-2', 'id-3', 'id-1', 'id-3']);
    assert.equal(sender.resends, 2);
  });

  test('after a reconnect the replay starts from the oldest row', () => {
    const { box, sender } = setup(8);
    for (const n of [1, 2]) box.add(status(n), 0);
    sender.attach(fakeLink(true));
    sender.pump();
    sender.detach();
    const link = fakeLink(true);
    sender.attach(link);
    sender.pump();
    assert.deepEqual(link.written, ['id-1', 'id-2']);
    assert.equal(sender.resends, 2);
  });

  test('without cloud acks a row leaves once written; a failed write keeps it', () => {
    const { box, sender } = setup(8);
    for (const n of [1, 2]) box.add(status(n), 0);
    const link = fakeLink(false);
    sender.attach(link);
    sender.pump();
    assert.equal(sender.nextResendAt(), undefined, 'no resend timer against a cloud that never acks');
    link.callbacks[0]?.();
    link.callbacks[1]?.(new Error('socket closed'));
    assert.deepEqual(box.after(0, 10).map((r) => r.msgId), ['id-2']);
  });

  test('an empty bucket stops the pump', () => {
    const { box, sender } = setup(8);
    for (const n of [1, 2, 3]) box.add(status(n), 0);
    const link = fakeLink(true, 2);
    sender.attach(link);
    assert.equal(sender.pump(), 'throttled');
    assert.deepEqual(link.written, ['id-1', 'id-2']);
    link.tokens = 5;
    assert.equal(sender.pump(), 'idle');
    assert.deepEqual(link.written, ['id-1', 'id-2', 'id-3']);
  });
});
