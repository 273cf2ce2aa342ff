// edgestream against a hand-made tunnel end: mutual TLS with the node certificate, sessions served
// from frames, and a redial after the cloud drops the tunnel.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import WebSocket, { WebSocketServer } from 'ws';
import { createTestLogger } from '../../core/index.js';
import { createCA, issueCertificate } from '../../core/pki/index.js';
import {
  FrameTypes, dataOf, decodeFrame, encodeFrame, encodeJson, payloadJson, type Frame,
} from '../../core/tunnel/index.js';
import { FakeContainerLocator, createExecOnlyRuntime } from '../../testing/fake-container-streams.js';
import { startEdgeStream, tunnelUrl, type EdgeStream } from './index.js';

interface Conn { ws: WebSocket; cn: string; nodeHeader: string; frames: Frame[]; next(): Promise<Frame> }

describe('edgestream', () => {
  let server: https.Server;
  let edge: EdgeStream;
  const conns: Conn[] = [];
  let connected: (() => void) | undefined;
  const locator = new FakeContainerLocator();

  before(async () => {
    const ca = await createCA('KubeEdge');
    const serving = await issueCertificate(ca, { commonName: 'KubeEdge', ipAddresses: ['127.0.0.1'], usage: 'server' });
    const node = await issueCertificate(ca, { commonName: 'system:node:edge-1', organization: ['system:nodes'], usage: 'client' });
    const dir = mkdtempSync(join(tmpdir(), 'kets-edgestream-'));
    const logPath = join(dir, 'a.log');
    writeFileSync(logPath, '2024-05-01T10:00:00Z stdout F hello\n');
    locator.add({ namespace: 'ns', pod: 'p', name: 'c', current: { podUid: 'u', containerName: 'c', containerId: 'id', logPath, running: false } });
    server = https.createServer({ key: serving.keyPem, cert: serving.certPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true });
    const wss = new WebSocketServer({ server, path: '/v1/tunnel' });
    wss.on('connection', (ws, req) => {
      const frames: Frame[] = [];
      let wake: (() => void) | undefined;
      ws.on('message', (d: Buffer) => { frames.push(decodeFrame(d)); wake?.(); });
      const next = async (): Promise<Frame> => {
        while (frames.length === 0) await new Promise<void>((r) => { wake = r; });
        return frames.shift() as Frame;
      };
      const cn = (req.socket as TLSSocket).getPeerCertificate().subject.CN;
      conns.push({ ws, cn: Array.isArray(cn) ? cn.join() : cn ?? '', nodeHeader: String(req.headers['node_id']), frames, next });
      connected?.();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const first = new Promise<void>((r) => { connected = r; });
    edge = startEdgeStream({
      server: `wss://127.0.0.1:${(server.address() as AddressInfo).port}`, nodeName: 'edge-1',
      tls: () => ({ caPem: ca.certPem, ...node }), locator, runtime: createExecOnlyRuntime(),
      log: createTestLogger({ level: 'silent' }), backoff: { initialMs: 10, maxMs: 50 },
    });
    await first;
  });
  after(async () => {
    await edge.stop();
    await new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); });
  });

  test('the tunnel URL is the server with our path', () => {
    assert.equal(tunnelUrl('wss://10.0.0.1:10004'), 'wss://10.0.0.1:10004/v1/tunnel');
    assert.equal(tunnelUrl('cloud.example:10004'), 'wss://cloud.example:10004/v1/tunnel');
  });

  test('dials with the node certificate and node_id, serves a logs session, refuses unknown pods', async () => {
    const c = conns[0] as Conn;
    assert.equal(c.cn, 'system:node:edge-1');
    assert.equal(c.nodeHeader, 'edge-1');
    c.ws.send(encodeJson(FrameTypes.open, 5, { kind: 'logs', namespace: 'ns', pod: 'p', container: 'c', timestamps: true }));
    assert.equal((await c.next()).type, FrameTypes.ready);
    const data = await c.next();
    assert.equal(data.session, 5);
    assert.equal(dataOf(data).bytes.toString(), '2024-05-01T10:00:00Z hello\n');
    assert.equal((await c.next()).type, FrameTypes.close);
    c.ws.send(encodeJson(FrameTypes.open, 6, { kind: 'exec', namespace: 'ns', pod: 'ghost', container: '', command: ['ls'], stdout: true }));
    const err = await c.next();
    assert.equal(err.type, FrameTypes.error);
    assert.deepEqual(payloadJson(err), { code: 'NotFound', message: 'pod ns/ghost is not on this node' });
    c.ws.send(encodeFrame(FrameTypes.open, 7, Buffer.from('{"kind":"attach"}')));
    assert.deepEqual(payloadJson(await c.next()), { code: 'BadRequest', message: 'open: namespace must be a string' });
  });

  test('redials after the cloud drops the tunnel', async () => {
    const again = new Promise<void>((r) => { connected = r; });
    conns[0]?.ws.terminate();
    await again;
    assert.equal(conns.length, 2);
    // The server sees the upgrade before the edge sees it complete.
    while (edge.state() !== 'connected') await new Promise((r) => setTimeout(r, 5));
  });
});
