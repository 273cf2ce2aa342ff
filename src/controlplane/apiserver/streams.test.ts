import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket, { WebSocketServer } from 'ws';
import { startHarness, type Harness } from '../../testing/api-server-harness.js';

const execPath = '/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true';

function dial(h: Harness, path: string, auth: 'cert' | 'none' = 'cert'): WebSocket {
  const url = `${h.client.creds.server.replace('https', 'wss')}${path}`;
  return new WebSocket(url, ['v5.channel.k8s.io', 'v4.channel.k8s.io'], {
    ca: h.client.creds.caPem,
    ...(auth === 'cert' ? { cert: h.client.creds.certPem, key: h.client.creds.keyPem } : {}),
  });
}

/** The HTTP status of a refused upgrade and its Status body. */
function refused(ws: WebSocket): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    ws.on('open', () => reject(new Error('upgrade unexpectedly accepted')));
    ws.on('error', () => undefined);
  });
}

describe('apiserver: pod stream upgrades (kubectl exec over WebSocket)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    h.api.create({ group: '', resource: 'pods' }, 'default', { metadata: { name: 'web' }, spec: { nodeName: 'edge-1' } });
  });
  after(async () => { await h.close(); });

  test('without a handler the upgrade is refused with a 503 Status', async () => {
    const r = await refused(dial(h, execPath));
    assert.equal(r.status, 503);
    assert.equal(r.body['message'], 'pods/exec is not available: no stream handler registered');
  });

  test('unauthenticated upgrades get 401; unknown pods 404; other paths 400', async () => {
    assert.equal((await refused(dial(h, execPath, 'none'))).status, 401);
    assert.equal((await refused(dial(h, '/api/v1/namespaces/default/pods/ghost/exec?command=ls'))).status, 404);
    assert.equal((await refused(dial(h, '/api/v1/namespaces/default/configmaps?watch=1'))).status, 400);
  });

  test('a registered handler owns the upgraded socket', async () => {
    const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has('v5.channel.k8s.io') ? 'v5.channel.k8s.io' : false) });
    h.server.registerPodSubresource('exec', (req, res, params) => {
      assert.equal(res, undefined);
      const up = params.upgrade;
      if (!up) throw new Error('expected an upgrade');
      wss.handleUpgrade(req, up.socket, up.head, (ws) => {
        ws.send(`${params.user.username} ${params.namespace}/${params.name} on ${String((params.pod['spec'] as { nodeName: string }).nodeName)}: ${params.query.get('command') ?? ''}`);
        ws.close();
      });
    });
    const ws = dial(h, execPath);
    const message = await new Promise<string>((resolve, reject) => {
      ws.on('message', (data: Buffer) => resolve(data.toString('utf8')));
      ws.on('error', reject);
    });
    assert.equal(ws.protocol, 'v5.channel.k8s.io');
    assert.equal(message, 'kubernetes-admin default/web on edge-1: ls');
    wss.close();
  });
});
