import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { newMessage, type Message } from '../../core/index.js';
import { AckQueue, compareResourceVersion } from './ack-queue.js';
import { SeenIds } from './seen-ids.js';

const limits = { window: 2, firstResendMs: 5_000, maxResendMs: 60_000 };
const room = (): boolean => true;

function msg(rv: string | undefined, operation = 'update'): Message {
  return newMessage({ source: 'edgecontroller', group: 'resource', operation, resource: 'default/pod/a', content: {}, resourceVersion: rv });
}

describe('compareResourceVersion', () => {
  test('orders as unsigned integers of any length', () => {
    assert.equal(compareResourceVersion('9', '10'), -1);
    assert.equal(compareResourceVersion('10', '9'), 1);
    assert.equal(compareResourceVersion('007', '7'), 0);
    assert.equal(compareResourceVersion('18446744073709551616', '18446744073709551615'), 1);
  });
  test('a missing or non-numeric version counts as newer', () => {
    assert.equal(compareResourceVersion(undefined, '5'), 1);
    assert.equal(compareResourceVersion('abc', '5'), 1);
  });
});

describe('AckQueue', () => {
  test('sends within the window and refills it on ack', () => {
    const q = new AckQueue(limits);
    const [a, b, c] = [msg('1'), msg('2'), msg('3')];
    for (const m of [a, b, c]) q.add(m, undefined, room);
    assert.deepEqual(q.takeSendable(0).map((e) => e.msg), [a, b]);
    assert.deepEqual(q.takeSendable(0), []);
    assert.equal(q.ack(a.header.msg_id), a);
    assert.equal(q.ack(a.header.msg_id), undefined);
    assert.deepEqual(q.takeSendable(0).map((e) => e.msg), [c]);
    assert.equal(q.size, 2);
  });

  test('resends back off by doubling up to the cap', () => {
    const q = new AckQueue({ ...limits, window: 1, maxResendMs: 12_000 });
    q.add(msg('1'), undefined, room);
    q.takeSendable(0);
    const due: number[] = [];
    for (let t = 0; t <= 60_000; t += 1_000) if (q.dueResends(t).length > 0) due.push(t);
    assert.deepEqual(due, [5_000, 15_000, 27_000, 39_000, 51_000]);
  });

  test('a newer version for the same UID replaces the queued one in place; older or equal ones are dropped', () => {
    const q = new AckQueue(limits);
    const other = msg('1');
    q.add(msg('5'), 'u1', room);
    q.add(other, 'u2', room);
    assert.equal(q.add(msg('5'), 'u1', room).kind, 'stale');
    assert.equal(q.add(msg('4'), 'u1', room).kind, 'stale');
    const newer = msg('6');
    assert.equal(q.add(newer, 'u1', room).kind, 'replaced');
    assert.deepEqual(q.takeSendable(0).map((e) => e.msg), [newer, other]);
  });

  test('an in-flight message replaced by a newer one no longer matches its ack', () => {
    const q = new AckQueue(limits);
    const old = msg('5');
    q.add(old, 'u1', room);
    q.takeSendable(0);
    const newer = msg('6');
    q.add(newer, 'u1', room);
    assert.equal(q.ack(old.header.msg_id), undefined);
    assert.deepEqual(q.takeSendable(0).map((e) => e.msg), [newer]);
  });

  test('a delete always replaces; after a delete, updates are dropped', () => {
    const q = new AckQueue(limits);
    q.add(msg('9'), 'u1', room);
    assert.equal(q.add(msg('3', 'delete'), 'u1', room).kind, 'replaced');
    assert.equal(q.add(msg('10'), 'u1', room).kind, 'stale');
  });

  test('full when there is no room for a new key; replacements need no room', () => {
    const q = new AckQueue(limits);
    q.add(msg('1'), 'u1', room);
    assert.equal(q.add(msg('1'), 'u2', () => false).kind, 'full');
    assert.equal(q.add(msg('2'), 'u1', () => false).kind, 'replaced');
  });

  test('requeueAll makes unacked messages sendable again with the same msg_id', () => {
    const q = new AckQueue(limits);
    const a = msg('1');
    q.add(a, undefined, room);
    const [first] = q.takeSendable(0);
    q.requeueAll();
    const [again] = q.takeSendable(100);
    assert.equal(again?.text, first?.text);
    assert.equal(q.inFlightCount, 1);
  });
});

describe('SeenIds', () => {
  test('keeps at most capacity ids, oldest evicted first', () => {
    const s = new SeenIds(2);
    s.set('a', { kind: 'ok' }, 0);
    s.set('b', { kind: 'ok' }, 0);
    s.set('c', { kind: 'ok' }, 0);
    assert.equal(s.get('a'), undefined);
    assert.deepEqual(s.get('c'), { kind: 'ok' });
  });
  test('prunes by age but keeps pending ids', () => {
    const s = new SeenIds(10);
    s.set('a', { kind: 'pending' }, 0);
    s.set('b', { kind: 'ok' }, 0);
    s.set('c', { kind: 'ok' }, 100);
    s.prune(50);
    assert.deepEqual([s.get('a')?.kind, s.get('b')?.kind, s.get('c')?.kind], ['pending', undefined, 'ok']);
  });
});
