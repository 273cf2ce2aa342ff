import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import { buildResponse, decodeMessage, encodeMessage, newMessage, type Message } from '../../src/core/index.js';
import { createCA, issueCertificate, type KeyPairPem } from '../../src/core/pki/index.js';
import { HollowFleet, type HollowIdentity } from '../../bench/hollow-edgecore.js';
import { classifyDownstream } from '../../bench/hollow-messages.js';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy.js';

// The hollow edgecore against a small local cloudhub stand-in: mutual TLS, KubeEdge's path and
// headers, a response to registration, a downstream object that must be acked, and reconnects
// after every connection is cut by the fault proxy.

interface Session { node: string; ws: WebSocket; received: Message[]; headers: Record<string, string | string[] | undefined>; cn: string }

let ca: KeyPairPem;
let server: Server;
let port = 0;
const sessions: Session[] = [];
const identities: HollowIdentity[] = [];

before(async () => {
  ca = await createCA('hollow-test-ca');
  const serving = await issueCertificate(ca, { commonName: 'cloudhub', ipAddresses: ['127.0.0.1'], usage: 'server' });
  for (const name of ['hollow-a', 'hollow-b', 'hollow-c']) {
    const c = await issueCertificate(ca, { commonName: `system:node:${name}`, organization: ['system:nodes'], usage: 'client' });
    identities.push({ name, certPem: c.certPem, keyPem: c.keyPem });
  }
  server = createServer({ key: serving.keyPem, cert: serving.certPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: { serverMaxWindowBits: 10, clientMaxWindowBits: 10 } });
  wss.on('headers', (h) => h.push('x-kubeedge-ts-upstream-ack: v1'));
  server.on('upgrade', (req, socket, head) => {
    const cn = String((socket as TLSSocket).getPeerCertificate().subject?.CN ?? '');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const node = String(req.headers['node_id']);
      const s: Session = { node, ws, received: [], headers: req.headers, cn };
      assert.equal(req.url, `/e632aba927ea4ac2b575ec1603d56f10/${node}/events`);
      sessions.push(s);
      ws.on('message', (data) => {
        const msg = decodeMessage(data as Buffer);
        s.received.push(msg);
        if (msg.route.operation === 'insert' && msg.route.resource === `null/node/${node}`) {
          ws.send(encodeMessage(buildResponse(msg, { Object: msg.content }, { source: 'edgecontroller' })));
        }
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
});

after(async () => {
  for (const s of sessions) s.ws.terminate();
  await new Promise<void>((r) => server.close(() => r()));
});

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const live = (node: string): Session | undefined => [...sessions].reverse().find((s) => s.node === node);

describe('hollow edgecore', () => {
  let proxy: FaultProxy;
  let fleet: HollowFleet;
  const objects: { node: string; resource: string; rv: string | undefined }[] = [];

  before(async () => {
    proxy = await startFaultProxy({ target: { host: '127.0.0.1', port } });
    fleet = new HollowFleet({
      cloudhub: { host: '127.0.0.1', port: proxy.port }, caPem: ca.certPem, nodes: identities,
      keepaliveMs: 40, leaseMs: 60, backoff: { initialMs: 20, maxMs: 100, jitter: 1 },
      onObject: (node, msg) => objects.push({ node, resource: msg.route.resource, rv: msg.header.resourceversion }),
    });
    await fleet.start();
  });
  after(async () => {
    fleet.stop();
    await proxy.close();
  });

  test('connects with mutual TLS, KubeEdge path and headers, and registers every node', async () => {
    assert.equal(await fleet.waitReady(3, 5000), true);
    for (const id of identities) {
      const s = live(id.name);
      assert.ok(s, `no session for ${id.name}`);
      assert.equal(s.cn, `system:node:${id.name}`);
      assert.equal(s.headers['project_id'], 'e632aba927ea4ac2b575ec1603d56f10');
      assert.equal(s.headers['x-kubeedge-ts-upstream-ack'], 'v1');
      assert.match(String(s.headers['sec-websocket-extensions']), /permessage-deflate;.*client_max_window_bits=10/);
      const reg = s.received.find((m) => m.route.operation === 'insert');
      assert.equal(reg?.route.source, 'edged');
      assert.equal(reg?.header.sync, true);
    }
    assert.equal(fleet.upstreamAckSessions(), 3);
    assert.equal(fleet.counters.registrations, 3);
  });

  test('sends keepalives in KubeEdge shape, and no lease to a cloud that renews it from them', async () => {
    const s = live('hollow-a');
    assert.ok(s);
    await until(() => s.received.filter((m) => m.route.operation === 'keepalive').length >= 2, 'two keepalives');
    const ka = s.received.find((m) => m.route.operation === 'keepalive');
    assert.deepEqual({ ...ka?.route, content: ka?.content }, { source: 'websocket', group: 'resource', operation: 'keepalive', resource: 'node', content: 'ping' });
    // This server answers with the upstream-ack header, as our cloudcore does: it renews leases itself.
    assert.ok(!s.received.some((m) => m.route.resource === 'kube-node-lease/lease/hollow-a'), 'no lease on the uplink');
  });

  test('acks a downstream object and reports it with its resourceVersion', async () => {
    const s = live('hollow-b');
    assert.ok(s);
    const pod = newMessage({ source: 'edgecontroller', group: 'resource', operation: 'update', resource: 'default/pod/p1', content: { metadata: { name: 'p1' } }, resourceVersion: '42' });
    s.ws.send(encodeMessage(pod));
    await until(() => s.received.some((m) => m.header.parent_msg_id === pod.header.msg_id), 'ack');
    const ack = s.received.find((m) => m.header.parent_msg_id === pod.header.msg_id);
    assert.deepEqual({ ...ack?.route, content: ack?.content }, { source: 'metamanager', group: 'resource', operation: 'response', resource: 'default/pod/p1', content: 'OK' });
    assert.deepEqual(objects.find((o) => o.resource === 'default/pod/p1'), { node: 'hollow-b', resource: 'default/pod/p1', rv: '42' });
  });

  test('reconnects every node after all connections are cut, registering only once per run as edgecore', async () => {
    const before = fleet.counters.registrations;
    const connects = fleet.counters.connects;
    assert.equal(proxy.cutAll(), 3);
    await until(() => fleet.counters.connects >= connects + 3 && fleet.readyCount() === 3, 'reconnection');
    assert.equal(fleet.counters.registrations, before, 'no second registration');
    assert.ok(fleet.counters.disconnects >= 3);
    assert.deepEqual(fleet.notReady(), []);
  });
});

describe('downstream classification', () => {
  const msg = (operation: string, resource: string, group = 'resource') => newMessage({ source: 'edgecontroller', group, operation, resource, content: null });
  test('objects are acked; responses, lists, user group and no-ack types are not', () => {
    assert.equal(classifyDownstream(msg('insert', 'default/configmap/c')), 'ack');
    assert.equal(classifyDownstream(msg('delete', 'null/node/n')), 'ack');
    assert.equal(classifyDownstream(msg('response', 'default/pod/p')), 'response');
    assert.equal(classifyDownstream(msg('ping', 'node')), 'reply');
    assert.equal(classifyDownstream(msg('response', 'default/pod')), 'response');
    assert.equal(classifyDownstream(msg('update', 'default/pod')), 'noack');
    assert.equal(classifyDownstream(msg('update', 'default/membership/x')), 'noack');
    assert.equal(classifyDownstream(msg('update', 'default/serviceaccounttoken/x')), 'noack');
    assert.equal(classifyDownstream(msg('upload', 'default/foo/x', 'user')), 'noack');
  });
});
