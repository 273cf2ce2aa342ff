import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMessage, newMessage, type Message } from '../../core/index.js';
import { EdgeHubError } from './errors.js';
import { makeHub, type Harness } from '../../testing/edge-hub-harness.js';
import { FakeCloudHub, makeTestPki, until, type TestPki } from '../../testing/fake-cloudhub.js';

// edgehub against a tiny local WSS server (fake-cloudhub.ts) over real sockets on 127.0.0.1.
// Time is a manual clock: keepalives, backoff and resends fire only when a test advances it.

function podStatus(n: number): Message {
  return newMessage({ source: 'edged', group: 'resource', operation: 'update', resource: `default/podstatus/p${n}`, content: { n } });
}

function reply(to: { header: Record<string, unknown>; route: Record<string, string> }, operation: string, content: unknown): string {
  return encodeMessage(
    newMessage({ source: 'edgecontroller', group: to.route['group'] ?? '', operation, resource: to.route['resource'] ?? '', content, parentId: String(to.header['msg_id']) }),
  );
}

async function withHub(
  pki: TestPki,
  cloudOpts: Parameters<typeof FakeCloudHub.start>[1],
  hubOpts: Parameters<typeof makeHub>[2],
  body: (cloud: FakeCloudHub, h: Harness) => Promise<void>,
): Promise<void> {
  const cloud = await FakeCloudHub.start(pki, cloudOpts);
  const h = makeHub(cloud, pki, hubOpts);
  try {
    await body(cloud, h);
  } finally {
    await h.hub.stop();
    await cloud.close();
  }
}

describe('edgehub over a real WSS link', () => {
  let pki: TestPki;
  before(async () => {
    pki = await makeTestPki('edge-1');
  });

  test('dials KubeEdge path and headers with the client certificate', async () => {
    await withHub(pki, {}, {}, async (cloud, h) => {
      h.hub.start();
      await until(() => h.hub.isConnected(), 5000, 'connect');
      const c = cloud.last();
      assert.equal(c.url, '/e632aba927ea4ac2b575ec1603d56f10/edge-1/events');
      assert.equal(c.headers['node_id'], 'edge-1');
      assert.equal(c.headers['project_id'], 'e632aba927ea4ac2b575ec1603d56f10');
      assert.equal(c.headers['connectionuse'], 'msg');
      assert.equal(c.headers['x-kubeedge-ts-upstream-ack'], 'v1');
      assert.equal(c.clientCN, 'system:node:edge-1');
      assert.match(c.extensions, /permessage-deflate/);
      const offer = String(c.headers['sec-websocket-extensions']);
      assert.match(offer, /client_max_window_bits=10/);
      assert.match(offer, /server_max_window_bits=10/);
      assert.equal(h.hub.state().kind, 'connected');
      assert.deepEqual(h.events, ['connected']);
    });
  });

  test('keepalive: one at connect, then every heartbeat, with a ping frame; bytes per keepalive', async (t) => {
    for (const deflate of [true, false]) {
      await withHub(pki, { deflate }, {}, async (cloud, h) => {
        h.hub.start();
        await until(() => cloud.messages('keepalive').length === 1, 5000, 'first keepalive');
        const ka = cloud.messages('keepalive')[0];
        assert.deepEqual(ka?.route, { source: 'websocket', group: 'resource', operation: 'keepalive', resource: 'node' });
        assert.equal(ka?.content, 'ping');
        h.clock.advance(14_999);
        assert.equal(cloud.messages('keepalive').length, 1);
        await until(() => cloud.last().pings === 1, 5000, 'first ping');
        const before = h.hub.metrics().bytesOut;
        const n = 20;
        for (let i = 2; i <= n + 1; i++) {
          h.clock.advance(i === 2 ? 1 : 15_000);
          await until(() => cloud.messages('keepalive').length === i && cloud.last().pings === i, 5000, `keepalive ${i}`);
        }
        const perBeat = (h.hub.metrics().bytesOut - before) / n;
        t.diagnostic(`deflate=${deflate}: ${perBeat.toFixed(1)} wire bytes (TLS incl.) per keepalive+ping, ${(perBeat / 15).toFixed(2)} B/s at 15 s`);
        assert.equal(h.hub.metrics().keepalivesSent, n + 1);
      });
    }
  });

  test('silence: no frame for silenceTimeoutMs cuts the link and redials', async () => {
    await withHub(pki, {}, { silenceTimeoutMs: 45_000 }, async (cloud, h) => {
      h.hub.start();
      await until(() => cloud.connections.length === 1 && cloud.last().pings === 1, 5000, 'connect');
      // Blackhole: the server stops reading, so no pong and no frame comes back.
      (cloud.last().ws as unknown as { _socket: { pause(): void } })._socket.pause();
      h.clock.advance(44_000);
      assert.equal(h.hub.isConnected(), true);
      h.clock.advance(1_000);
      await until(() => h.hub.state().kind === 'backoff', 5000, 'backoff');
      assert.equal(h.hub.metrics().silenceTimeouts, 1);
      assert.deepEqual(h.events, ['connected', 'disconnected']);
      h.clock.advance(300);
      await until(() => cloud.connections.length === 2 && h.hub.isConnected(), 5000, 'reconnect');
      assert.equal(h.hub.metrics().reconnects, 1);
    });
  });

  test('reconnectNow redials at once and reads the certificate again', async () => {
    await withHub(pki, {}, {}, async (cloud, h) => {
      h.hub.start();
      await until(() => h.hub.isConnected(), 5000, 'connect');
      assert.equal(h.tlsReads, 1);
      h.hub.reconnectNow();
      await until(() => cloud.connections.length === 2 && h.hub.isConnected(), 5000, 'reconnect');
      assert.equal(h.tlsReads, 2);
    });
  });

  test('a refused dial backs off with the jittered delay and retries', async () => {
    const dead = await FakeCloudHub.start(pki);
    const address = dead.address;
    await dead.close();
    const h = makeHub(address, pki, { backoff: { initialMs: 400, maxMs: 1000, jitter: 1 } });
    try {
      h.hub.start();
      const backoff = (): { attempt: number; retryInMs: number } | undefined => {
        const s = h.hub.state();
        return s.kind === 'backoff' ? { attempt: s.attempt, retryInMs: s.retryInMs } : undefined;
      };
      // random() = 0.5 with full jitter: half of each ceiling (400, 800 → capped 1000).
      await until(() => backoff()?.attempt === 1, 5000, 'first backoff');
      assert.deepEqual(backoff(), { attempt: 1, retryInMs: 200 });
      h.clock.advance(199);
      assert.equal(backoff()?.attempt, 1, 'no redial before the delay');
      h.clock.advance(1);
      await until(() => backoff()?.attempt === 2, 5000, 'second backoff');
      assert.deepEqual(backoff(), { attempt: 2, retryInMs: 400 });
      h.clock.advance(400);
      await until(() => backoff()?.attempt === 3, 5000, 'third backoff');
      assert.deepEqual(backoff(), { attempt: 3, retryInMs: 500 }, 'ceiling capped at maxMs');
      assert.equal(h.hub.metrics().dialFailures, 3);
    } finally {
      await h.hub.stop();
    }
    assert.deepEqual(h.hub.state(), { kind: 'stopped' });
  });

  test('downstream: messages reach the listener; ack() answers with OK and the parent id', async () => {
    await withHub(pki, {}, {}, async (cloud, h) => {
      h.hub.start();
      await until(() => h.hub.isConnected(), 5000, 'connect');
      const cm = newMessage({ source: 'edgecontroller', group: 'resource', operation: 'insert', resource: 'default/configmap/c1', content: { data: {} } });
      cloud.last().ws.send(encodeMessage(cm));
      await until(() => h.downstream.length === 1, 5000, 'downstream');
      assert.equal(h.downstream[0]?.header.msg_id, cm.header.msg_id);
      h.hub.ack(cm);
      await until(() => cloud.messages('response').length === 1, 5000, 'ack');
      const ack = cloud.messages('response')[0];
      assert.equal(ack?.header['parent_msg_id'], cm.header.msg_id);
      assert.equal(ack?.content, 'OK');
      assert.deepEqual(ack?.route, { source: 'edgecontroller', group: 'resource', operation: 'response', resource: 'default/configmap/c1' });
    });
  });

  test('control messages are answered with "ack" and keepalive echoes ignored', async () => {
    await withHub(pki, {}, {}, async (cloud, h) => {
      h.hub.start();
      await until(() => h.hub.isConnected(), 5000, 'connect');
      const ping = newMessage({ source: 'cloudhub', group: 'hub', operation: 'ping', resource: '', content: null });
      cloud.last().ws.send(encodeMessage(ping));
      cloud.last().ws.send(encodeMessage(newMessage({ source: 'cloudhub', group: 'resource', operation: 'keepalive', resource: 'node', content: 'ping' })));
      await until(() => cloud.messages('response').length === 1, 5000, 'control reply');
      assert.equal(cloud.messages('response')[0]?.content, 'ack');
      assert.equal(cloud.messages('response')[0]?.header['parent_msg_id'], ping.header.msg_id);
      assert.equal(h.downstream.length, 0);
    });
  });

  test('malformed and oversized frames are counted and the link stays', async () => {
    await withHub(pki, {}, { maxFrameBytes: 4096 }, async (cloud, h) => {
      h.hub.start();
      await until(() => h.hub.isConnected(), 5000, 'connect');
      const ws = cloud.last().ws;
      ws.send('not json');
      ws.send('{"header":{},"route":{}}');
      ws.send(encodeMessage(newMessage({ source: 'x', group: 'resource', operation: 'insert', resource: 'a/b/c', content: 'y'.repeat(5000) })));
      ws.send(encodeMessage(newMessage({ source: 'x', group: 'resource', operation: 'insert', resource: 'a/b/c', content: 'fine' })));
      await until(() => h.downstream.length === 1, 5000, 'good message');
      assert.equal(h.hub.metrics().badFrames, 3);
      assert.equal(h.log.find('bad frame').length, 3);
      assert.equal(h.hub.isConnected(), true);
      assert.equal(cloud.connections.length, 1);
    });
  });

  test('request() resolves with the response matched by parent_msg_id; times out otherwise', async () => {
    await withHub(pki, {}, {}, async (cloud, h) => {
      await assert.rejects(h.hub.request(podStatus(0), 1000), (e: unknown) => e instanceof EdgeHubError && e.code === 'link_down');
      h.hub.start();
      await until(() => h.hub.isConnected(), 5000, 'connect');
      const q = newMessage({ source: 'metamanager', group: 'resource', operation: 'query', resource: 'default/configmap/c1', content: null });
      const pending = h.hub.request(q, 5000);
      await until(() => cloud.messages('query').length === 1, 5000, 'query');
      const sent = cloud.messages('query')[0];
      assert.equal(sent?.header['sync'], true);
      cloud.last().ws.send(encodeMessage(newMessage({ source: 'x', group: 'resource', operation: 'update', resource: 'default/configmap/other', content: null })));
      cloud.last().ws.send(reply(sent!, 'response', { data: { k: 'v' } }));
      const resp = await pending;
      assert.deepEqual(resp.content, { data: { k: 'v' } });
      assert.equal(h.downstream.length, 1, 'the unrelated message went to the listener');
      const lost = h.hub.request(newMessage({ ...q.route, content: null }), 1000);
      h.clock.advance(1000);
      await assert.rejects(lost, (e: unknown) => e instanceof EdgeHubError && e.code === 'timeout');
    });
  });

  test('send() obeys the upstream rate limit', async () => {
    await withHub(pki, {}, { messageQPS: 1, messageBurst: 2 }, async (_cloud, h) => {
      assert.equal(h.hub.send(podStatus(0)), false, 'down: false');
      h.hub.start();
      await until(() => h.hub.isConnected(), 5000, 'connect');
      assert.equal(h.hub.send(podStatus(1)), true);
      assert.equal(h.hub.send(podStatus(2)), true);
      assert.equal(h.hub.send(podStatus(3)), false);
      assert.equal(h.hub.metrics().rateLimited, 1);
      h.clock.advance(1000);
      assert.equal(h.hub.send(podStatus(4)), true);
    });
  });
});
