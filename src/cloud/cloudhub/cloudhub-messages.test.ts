import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { newMessage, type Message } from '../../core/index.js';
import {
  connectEdge,
  eventually,
  makePki,
  nodeCert,
  startHub,
  upstreamMessage,
  type HubFixture,
  type TestEdge,
  type TestPki,
} from '../../testing/cloudhub-harness.js';
import { UPSTREAM_ACK_HEADER, UPSTREAM_ACK_VERSION, UpstreamRejected } from './types.js';
import type { CloudHubOptions } from './options.js';

// Real TLS on 127.0.0.1: frames up and down, acks, dedupe, resends.

function podMessage(uid: string, rv: string, operation = 'update'): Message {
  return newMessage({
    source: 'edgecontroller',
    group: 'resource',
    operation,
    resource: 'default/pod/nginx',
    content: { metadata: { name: 'nginx', uid, resourceVersion: rv } },
    resourceVersion: rv,
  });
}

describe('cloudhub messages', () => {
  let pki: TestPki;
  before(async () => {
    pki = await makePki();
  });

  async function withEdge(
    opts: Partial<CloudHubOptions>,
    edgeOpts: { upstreamAck?: boolean },
    body: (f: HubFixture, edge: TestEdge) => Promise<void>,
  ): Promise<void> {
    const f = await startHub(pki, opts);
    try {
      const cert = await nodeCert(pki.ca, 'edge-1');
      const edge = await connectEdge(f.port, { cert, caPem: pki.ca.certPem, node: 'edge-1', ...edgeOpts });
      await body(f, edge);
    } finally {
      await f.hub.stop();
    }
  }

  test('malformed and oversized frames are counted and the session stays', async () => {
    await withEdge({ maxFrameBytes: 1024 }, {}, async (f, edge) => {
      edge.ws.send('not json');
      edge.ws.send('{"header":{},"route":{}}');
      edge.ws.send(Buffer.from([0xff, 0xfe, 0x00]));
      edge.ws.send(JSON.stringify({ pad: 'x'.repeat(2000) }));
      const good = upstreamMessage('default/podstatus/nginx');
      edge.send(good);
      await eventually(() => f.listener.upstream.length === 1, 'the good message');
      assert.equal(f.listener.upstream[0]?.header.msg_id, good.header.msg_id);
      const m = f.hub.metrics();
      assert.equal(m.rejectedTotal['malformed'], 3);
      assert.equal(m.rejectedTotal['too_large'], 1);
      assert.equal(f.hub.isConnected('edge-1'), true);
    });
  });

  test('a replayed msg_id is dropped and acked again', async () => {
    await withEdge({}, { upstreamAck: true }, async (f, edge) => {
      assert.equal(edge.upgradeHeaders[UPSTREAM_ACK_HEADER], UPSTREAM_ACK_VERSION);
      const msg = upstreamMessage('default/podstatus/nginx');
      edge.send(msg);
      await eventually(() => edge.received.length === 1, 'first ack');
      edge.send(msg);
      await eventually(() => edge.received.length === 2, 'second ack');
      assert.equal(f.listener.upstream.length, 1);
      assert.equal(f.hub.metrics().duplicatesTotal, 1);
      for (const ack of edge.received) {
        assert.equal(ack.route.operation, 'response');
        assert.equal(ack.header.parent_msg_id, msg.header.msg_id);
        assert.equal(ack.content, 'OK');
        assert.equal(ack.route.source, 'edgecontroller');
        assert.equal(ack.route.resource, msg.route.resource);
      }
    });
  });

  test('upstream acks: OK when applied, error with the reason when refused, none when failed', async () => {
    await withEdge({}, { upstreamAck: true }, async (f, edge) => {
      let fail = true;
      f.listener.apply = async (_node, m) => {
        if (m.route.resource === 'default/pod/other') throw new UpstreamRejected('forbidden', 'not your pod');
        if (m.route.resource === 'default/lease/x' && fail) throw new Error('api server unavailable');
      };
      const refused = upstreamMessage('default/pod/other');
      const failing = upstreamMessage('default/lease/x');
      const fine = upstreamMessage('default/podstatus/nginx');
      edge.send(refused);
      edge.send(failing);
      edge.send(fine);
      await edge.waitFor((m) => m.header.parent_msg_id === fine.header.msg_id, 'ack of the fine message');
      const error = await edge.waitFor((m) => m.header.parent_msg_id === refused.header.msg_id, 'refusal');
      assert.equal(error.route.operation, 'error');
      assert.equal(error.content, 'forbidden');
      assert.equal(edge.received.some((m) => m.header.parent_msg_id === failing.header.msg_id), false);
      assert.equal(f.hub.metrics().rejectedTotal['forbidden'], 1);
      // The failed one was not remembered: its resend is applied and acked.
      fail = false;
      edge.send(failing);
      const ok = await edge.waitFor((m) => m.header.parent_msg_id === failing.header.msg_id, 'ack after resend');
      assert.equal(ok.content, 'OK');
      assert.deepEqual(
        f.listener.upstream.map((m) => m.route.resource),
        ['default/pod/other', 'default/lease/x', 'default/podstatus/nginx', 'default/lease/x'],
      );
    });
  });

  test('no upstream acks for an edge that did not ask (a KubeEdge edge)', async () => {
    await withEdge({}, {}, async (f, edge) => {
      assert.equal(edge.upgradeHeaders[UPSTREAM_ACK_HEADER], undefined);
      f.listener.apply = async (_n, m) => {
        if (m.route.resource === 'default/pod/other') throw new UpstreamRejected('forbidden', 'no');
      };
      edge.send(upstreamMessage('default/pod/other'));
      edge.send(upstreamMessage('default/podstatus/nginx'));
      const ping = newMessage({ source: 'websocket', group: 'resource', operation: 'ping', resource: 'node', content: '' });
      await eventually(() => f.listener.upstream.length === 2, 'both applied');
      edge.send(ping);
      await edge.waitFor((m) => m.header.parent_msg_id === ping.header.msg_id, 'ping reply');
      assert.equal(edge.received.length, 1, 'only the ping reply came back');
    });
  });

  test('a reliable message is resent until acked, then onAck gets the original', async () => {
    await withEdge({}, {}, async (f, edge) => {
      const msg = podMessage('uid-1', '10');
      f.hub.send('edge-1', msg, { reliable: true, objectUID: 'uid-1' });
      await eventually(() => edge.received.length === 1, 'first delivery');
      f.clock.advance(5_000);
      f.timers.tick();
      await eventually(() => edge.received.length === 2, 'resend');
      assert.deepEqual(edge.received[1], edge.received[0]);
      assert.equal(f.hub.metrics().resendsTotal, 1);
      f.clock.advance(5_000);
      f.timers.tick();
      assert.equal(f.hub.metrics().resendsTotal, 1, 'backoff doubled: not yet due');
      edge.ack(msg);
      await eventually(() => f.listener.acks.length === 1, 'ack');
      assert.equal(f.listener.acks[0], msg);
      f.clock.advance(120_000);
      f.timers.tick();
      assert.equal(f.hub.metrics().resendsTotal, 1);
      assert.equal(f.hub.metrics().queueDepth.ack, 0);
    });
  });

  test('queued messages for one UID keep only the newest version; unacked ones are resent on reconnect', async () => {
    const f = await startHub(pki);
    try {
      f.hub.send('edge-1', podMessage('uid-1', '5'), { reliable: true, objectUID: 'uid-1' });
      f.hub.send('edge-1', podMessage('uid-1', '7'), { reliable: true, objectUID: 'uid-1' });
      f.hub.send('edge-1', podMessage('uid-1', '6'), { reliable: true, objectUID: 'uid-1' });
      f.hub.send('edge-1', podMessage('uid-2', '3'), { reliable: true, objectUID: 'uid-2' });
      f.hub.send('edge-1', newMessage({ source: 'edgecontroller', group: 'resource', operation: 'response', resource: 'default/configmap/c', content: {} }), { reliable: false });
      assert.deepEqual(f.hub.metrics().queueDepth, { ack: 2, noack: 1 });
      assert.deepEqual(f.hub.metrics().droppedTotal.ack, { superseded: 1, stale: 1 });
      const cert = await nodeCert(pki.ca, 'edge-1');
      const first = await connectEdge(f.port, { cert, caPem: pki.ca.certPem, node: 'edge-1' });
      await eventually(() => first.received.length === 3, 'delivery');
      assert.deepEqual(first.received.map((m) => m.header.resourceversion ?? m.route.operation), ['response', '7', '3']);
      first.ack(first.received[2] as Message);
      await eventually(() => f.listener.acks.length === 1, 'ack of uid-2');
      first.close();
      await eventually(() => !f.hub.isConnected('edge-1'), 'disconnect');
      const second = await connectEdge(f.port, { cert, caPem: pki.ca.certPem, node: 'edge-1' });
      await eventually(() => second.received.length === 1, 'resend after reconnect');
      assert.equal(second.received[0]?.header.resourceversion, '7');
      assert.equal(second.received[0]?.header.msg_id, first.received[1]?.header.msg_id);
    } finally {
      await f.hub.stop();
    }
  });

  test('on overflow the oldest no-ack message goes first; reliable ones are kept', async () => {
    const f = await startHub(pki, { maxQueuePerNode: 2 });
    try {
      const noack = (name: string): Message =>
        newMessage({ source: 'edgecontroller', group: 'resource', operation: 'update', resource: `default/pod/${name}`, content: {} });
      f.hub.send('edge-1', noack('a'), { reliable: false });
      f.hub.send('edge-1', podMessage('uid-1', '1'), { reliable: true, objectUID: 'uid-1' });
      f.hub.send('edge-1', podMessage('uid-2', '1'), { reliable: true, objectUID: 'uid-2' });
      f.hub.send('edge-1', podMessage('uid-3', '1'), { reliable: true, objectUID: 'uid-3' });
      const m = f.hub.metrics();
      assert.deepEqual(m.queueDepth, { ack: 2, noack: 0 });
      assert.deepEqual(m.droppedTotal, { ack: { queue_full: 1 }, noack: { queue_full: 1 } });
      assert.match(f.hub.metricsText(), /kubeedge_cloudhub_dropped_total\{queue="ack",reason="queue_full"\} 1/);
      assert.match(f.hub.metricsText(), /kubeedge_cloudhub_queue_depth\{kind="ack"\} 2/);
    } finally {
      await f.hub.stop();
    }
  });
});
