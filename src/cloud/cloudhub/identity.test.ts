import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { checkIdentity, parseEventsPath } from './identity.js';
import { UPSTREAM_ACK_HEADER } from './types.js';

const subject = { CN: 'system:node:edge-1', O: 'system:nodes' };
const headers = { node_id: 'edge-1', project_id: 'p1' };

describe('checkIdentity', () => {
  test('accepts the KubeEdge path, headers and certificate subject', () => {
    const r = checkIdentity({ url: '/p1/edge-1/events', headers, subject });
    assert.deepEqual(r, { ok: true, identity: { node: 'edge-1', projectId: 'p1', upstreamAck: false } });
  });

  test('O may carry several organizations; upstream acks are asked by header', () => {
    const r = checkIdentity({
      url: '/p1/edge-1/events',
      headers: { ...headers, [UPSTREAM_ACK_HEADER]: 'v0, v1' },
      subject: { CN: 'system:node:edge-1', O: ['extra', 'system:nodes'] },
    });
    assert.equal(r.ok && r.identity.upstreamAck, true);
  });

  test('refuses mismatches', () => {
    const cases = [
      { url: '/p1/edge-2/events', headers, subject },
      { url: '/p1/edge-1/events', headers: { project_id: 'p1' }, subject },
      { url: '/p1/edge-1/events', headers, subject: { CN: 'system:node:edge-2', O: 'system:nodes' } },
      { url: '/p1/edge-1/events', headers, subject: { CN: 'system:node:edge-1' } },
      { url: '/p1/edge-1/events', headers, subject: undefined },
    ];
    for (const c of cases) assert.deepEqual(pick(checkIdentity(c)), { status: 403, reason: 'identity' });
    assert.deepEqual(pick(checkIdentity({ url: '/edge-1', headers, subject })), { status: 404, reason: 'bad_path' });
  });

  test('parseEventsPath ignores the query and decodes segments', () => {
    assert.deepEqual(parseEventsPath('/p%201/edge-1/events?x=1'), { projectId: 'p 1', node: 'edge-1' });
    assert.equal(parseEventsPath('/p1/edge-1/events/more'), undefined);
    assert.equal(parseEventsPath('/p1//events'), undefined);
  });
});

function pick(r: ReturnType<typeof checkIdentity>): unknown {
  return r.ok ? r : { status: r.status, reason: r.reason };
}
