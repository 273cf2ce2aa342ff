import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createTestLogger, newMessage } from '../../core/index.js';
import {
  connectEdge,
  eventually,
  keepalive,
  makePki,
  nodeCert,
  startHub,
  type TestPki,
} from '../../testing/cloudhub-harness.js';

// Real TLS on 127.0.0.1: who may connect, one session per node, keepalive, node limit, handshakes.

describe('cloudhub connections', () => {
  let pki: TestPki;
  before(async () => {
    pki = await makePki();
  });

  test('a node with a matching certificate connects; keepalive and control operations are answered', async () => {
    const f = await startHub(pki);
    try {
      const edge = await connectEdge(f.port, { cert: await nodeCert(pki.ca, 'edge-1'), caPem: pki.ca.certPem, node: 'edge-1' });
      await eventually(() => f.hub.isConnected('edge-1'), 'connect');
      assert.deepEqual(f.hub.connectedNodes(), ['edge-1']);
      assert.deepEqual(f.listener.events, ['connect:edge-1']);
      edge.send(keepalive());
      await eventually(() => f.listener.events.includes('keepalive:edge-1'), 'keepalive');
      const ping = newMessage({ source: 'websocket', group: 'resource', operation: 'ping', resource: 'node', content: '' });
      edge.send(ping);
      const reply = await edge.waitFor((m) => m.header.parent_msg_id === ping.header.msg_id, 'ping reply');
      assert.equal(reply.route.operation, 'response');
      assert.equal(reply.content, 'ack');
      assert.equal(f.listener.upstream.length, 0, 'keepalive and ping are not upstream messages');
      assert.equal(f.hub.metrics().connectedNodes, 1);
      edge.close();
      await eventually(() => !f.hub.isConnected('edge-1'), 'disconnect');
      assert.deepEqual(f.listener.events.slice(-1), ['disconnect:edge-1']);
    } finally {
      await f.hub.stop();
    }
  });

  test('identity mismatches are refused with 403 and counted', async () => {
    const log = createTestLogger();
    const f = await startHub(pki, {}, log);
    try {
      const cert1 = await nodeCert(pki.ca, 'edge-1');
      const cases = [
        { cert: cert1, node: 'edge-1', nodeIdHeader: 'edge-2', path: '/p/edge-2/events' },
        { cert: cert1, node: 'edge-1', path: '/p/edge-2/events' },
        { cert: await nodeCert(pki.ca, 'edge-1', ['other']), node: 'edge-1' },
      ];
      for (const c of cases) {
        await assert.rejects(connectEdge(f.port, { caPem: pki.ca.certPem, ...c }), { status: 403 });
      }
      await assert.rejects(connectEdge(f.port, { cert: cert1, caPem: pki.ca.certPem, node: 'edge-1', path: '/x' }), {
        status: 404,
      });
      assert.equal(f.hub.metrics().rejectedTotal['identity'], 3);
      assert.equal(f.hub.metrics().rejectedTotal['bad_path'], 1);
      assert.equal(log.find('upgrade refused').length, 4);
      assert.equal(f.hub.connectedNodes().length, 0);
      assert.deepEqual(f.listener.events, []);
    } finally {
      await f.hub.stop();
    }
  });

  test('a certificate from another CA fails the TLS handshake and is counted', async () => {
    const f = await startHub(pki);
    try {
      const foreign = await nodeCert(pki.otherCa, 'edge-1');
      await assert.rejects(connectEdge(f.port, { cert: foreign, caPem: pki.ca.certPem, node: 'edge-1' }));
      await eventually(() => (f.hub.metrics().rejectedTotal['tls'] ?? 0) === 1, 'tls rejection count');
      assert.equal(f.hub.isConnected('edge-1'), false);
    } finally {
      await f.hub.stop();
    }
  });

  test('a new connection replaces the old one: close 4000, disconnect before connect', async () => {
    const f = await startHub(pki);
    try {
      const cert = await nodeCert(pki.ca, 'edge-1');
      const first = await connectEdge(f.port, { cert, caPem: pki.ca.certPem, node: 'edge-1' });
      const second = await connectEdge(f.port, { cert, caPem: pki.ca.certPem, node: 'edge-1' });
      const closed = await first.closed;
      assert.equal(closed.code, 4000);
      assert.equal(closed.reason, 'replaced');
      assert.deepEqual(f.listener.events, ['connect:edge-1', 'disconnect:edge-1', 'connect:edge-1']);
      assert.equal(f.hub.metrics().connectedNodes, 1);
      second.send(keepalive());
      await eventually(() => f.listener.events.includes('keepalive:edge-1'), 'keepalive on the new session');
      assert.deepEqual(f.listener.events.filter((e) => e.startsWith('disconnect')), ['disconnect:edge-1']);
    } finally {
      await f.hub.stop();
    }
  });

  test('a session silent for keepaliveTimeoutMs is closed with 4001', async () => {
    const f = await startHub(pki, { keepaliveTimeoutMs: 30_000 });
    try {
      const edge = await connectEdge(f.port, { cert: await nodeCert(pki.ca, 'edge-1'), caPem: pki.ca.certPem, node: 'edge-1' });
      f.clock.advance(20_000);
      edge.send(keepalive());
      await eventually(() => f.listener.events.includes('keepalive:edge-1'), 'keepalive');
      f.clock.advance(20_000);
      f.timers.tick();
      assert.equal(f.hub.isConnected('edge-1'), true, 'a frame 20 s ago keeps the session');
      f.clock.advance(11_000);
      f.timers.tick();
      assert.equal(f.hub.isConnected('edge-1'), false);
      assert.deepEqual(f.listener.events.slice(-1), ['disconnect:edge-1']);
      const closed = await edge.closed;
      assert.equal(closed.code, 4001);
      assert.equal(closed.reason, 'keepalive timeout');
    } finally {
      await f.hub.stop();
    }
  });

  test('past the node limit a new node is refused with 503; a connected node may reconnect', async () => {
    const f = await startHub(pki, { nodeLimit: 1 });
    try {
      const cert1 = await nodeCert(pki.ca, 'edge-1');
      await connectEdge(f.port, { cert: cert1, caPem: pki.ca.certPem, node: 'edge-1' });
      const cert2 = await nodeCert(pki.ca, 'edge-2');
      await assert.rejects(connectEdge(f.port, { cert: cert2, caPem: pki.ca.certPem, node: 'edge-2' }), { status: 503 });
      assert.equal(f.hub.metrics().rejectedTotal['node_limit'], 1);
      await connectEdge(f.port, { cert: cert1, caPem: pki.ca.certPem, node: 'edge-1' });
      assert.deepEqual(f.hub.connectedNodes(), ['edge-1']);
    } finally {
      await f.hub.stop();
    }
  });

  test('a TLS handshake that never finishes is closed and counted', async () => {
    const f = await startHub(pki, { handshakeTimeoutMs: 200 });
    try {
      const socket = net.connect(f.port, '127.0.0.1');
      const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.on('error', () => undefined);
      await ended;
      await eventually(() => (f.hub.metrics().rejectedTotal['handshake_timeout'] ?? 0) === 1, 'handshake timeout count');
    } finally {
      await f.hub.stop();
    }
  });

  test('permessage-deflate is negotiated with a small window', async () => {
    const f = await startHub(pki);
    try {
      const edge = await connectEdge(f.port, {
        cert: await nodeCert(pki.ca, 'edge-1'),
        caPem: pki.ca.certPem,
        node: 'edge-1',
        perMessageDeflate: {},
      });
      const negotiated = String(edge.upgradeHeaders['sec-websocket-extensions']);
      assert.match(negotiated, /permessage-deflate/);
      assert.match(negotiated, /server_max_window_bits=10/);
      assert.match(negotiated, /client_max_window_bits=10/);
      const gorillaLike = await connectEdge(f.port, {
        cert: await nodeCert(pki.ca, 'edge-2'),
        caPem: pki.ca.certPem,
        node: 'edge-2',
        // ws omits client_max_window_bits from its offer when the option is false, as gorilla does.
        perMessageDeflate: { clientMaxWindowBits: false as unknown as number, clientNoContextTakeover: true },
      });
      assert.match(String(gorillaLike.upgradeHeaders['sec-websocket-extensions']), /permessage-deflate/);
    } finally {
      await f.hub.stop();
    }
  });

  test('past compressionMaxSessions new sessions are not offered compression', async () => {
    const f = await startHub(pki, { compressionMaxSessions: 1 });
    try {
      const offer = { perMessageDeflate: {} };
      const first = await connectEdge(f.port, { cert: await nodeCert(pki.ca, 'edge-1'), caPem: pki.ca.certPem, node: 'edge-1', ...offer });
      assert.match(String(first.upgradeHeaders['sec-websocket-extensions']), /permessage-deflate/);
      const second = await connectEdge(f.port, { cert: await nodeCert(pki.ca, 'edge-2'), caPem: pki.ca.certPem, node: 'edge-2', ...offer });
      assert.equal(second.upgradeHeaders['sec-websocket-extensions'], undefined);
    } finally {
      await f.hub.stop();
    }
  });
});
