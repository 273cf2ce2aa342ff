import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createSilentLogger, type Message } from '../../core/index.js';
import { LeaseRenewer, readLeaseAnswer } from './lease-renewer.js';

const statusError = (reason: string, code: number) => ({ Object: null, Err: { ErrStatus: { metadata: {}, status: 'Failure', reason, code, message: reason } } });
const ok = (rv: string) => ({ Object: { metadata: { name: 'edge-1', namespace: 'kube-node-lease', resourceVersion: rv } }, Err: null });

/** A renewer whose cloud answers from a script, one answer per request. */
function scripted(answers: unknown[]) {
  const seen: Message[] = [];
  const renewer = new LeaseRenewer({
    nodeName: 'edge-1',
    leaseDurationSeconds: 40,
    log: createSilentLogger(),
    now: () => Date.UTC(2025, 0, 1, 12, 0, 0, 123),
    timeoutMs: 1000,
    hub: {
      async request(msg: Message): Promise<Message> {
        seen.push(msg);
        if (answers.length === 0) throw new Error('timeout');
        const content = answers.shift();
        return { header: { msg_id: 'x', timestamp: 0 }, route: { ...msg.route, operation: 'response' }, content };
      },
    },
  });
  const ops = () => seen.map((m) => m.route.operation);
  const rvOf = (i: number) => (seen[i]?.content as { metadata?: { resourceVersion?: string } } | null)?.metadata?.resourceVersion;
  return { renewer, seen, ops, rvOf };
}

describe('LeaseRenewer', () => {
  test('inserts first, then updates with the resourceVersion of the last answer', async () => {
    const s = scripted([ok('5'), ok('6')]);
    await s.renewer.renew();
    await s.renewer.renew();
    assert.deepEqual(s.ops(), ['insert', 'update']);
    assert.equal(s.rvOf(1), '5');
    const spec = (s.seen[0]?.content as { spec: { renewTime: string } }).spec;
    assert.equal(spec.renewTime, '2025-01-01T12:00:00.123000Z');
  });

  test('an existing lease is queried for its resourceVersion and updated in the same renewal', async () => {
    const s = scripted([statusError('AlreadyExists', 409), ok('42'), ok('43')]);
    await s.renewer.renew();
    assert.deepEqual(s.ops(), ['insert', 'query', 'update']);
    assert.equal(s.seen[1]?.content, null);
    assert.equal(s.rvOf(2), '42');
  });

  test('a conflict refreshes the resourceVersion; NotFound creates the lease again', async () => {
    const s = scripted([ok('1'), statusError('Conflict', 409), ok('9'), ok('10'), statusError('NotFound', 404), ok('1')]);
    await s.renewer.renew();
    await s.renewer.renew();
    await s.renewer.renew();
    assert.deepEqual(s.ops(), ['insert', 'update', 'query', 'update', 'update', 'insert']);
    assert.equal(s.rvOf(3), '9');
    assert.equal(s.rvOf(5), undefined, 'a re-created lease carries no stale resourceVersion');
  });

  test('an unanswered insert is assumed applied: the next renewal updates', async () => {
    const s = scripted([]);
    await s.renewer.renew();
    await s.renewer.renew();
    assert.deepEqual(s.ops(), ['insert', 'update']);
  });
});

describe('readLeaseAnswer', () => {
  const reply = (content: unknown, operation = 'response', rv?: string): Message => ({
    header: { msg_id: 'a', timestamp: 0, ...(rv ? { resourceversion: rv } : {}) },
    route: { source: 'edgecontroller', group: 'resource', operation, resource: 'kube-node-lease/lease/n' },
    content,
  });
  test('reads ObjectResp, bare objects, "OK" and errors', () => {
    assert.deepEqual(readLeaseAnswer(reply(ok('7'))), { ok: true, resourceVersion: '7' });
    assert.deepEqual(readLeaseAnswer(reply({ metadata: { resourceVersion: '8' } })), { ok: true, resourceVersion: '8' });
    assert.deepEqual(readLeaseAnswer(reply('OK', 'response', '9')), { ok: true, resourceVersion: '9' });
    assert.deepEqual(readLeaseAnswer(reply(statusError('NotFound', 404))), { ok: false, reason: 'NotFound', message: 'NotFound' });
    assert.equal(readLeaseAnswer(reply('boom', 'error')).ok, false);
  });
});
