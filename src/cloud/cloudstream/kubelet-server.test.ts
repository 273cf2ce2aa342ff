// cloudcore against a real cluster: the kube-apiserver calls the kubelet-style API on the stream
// port with its kubelet client certificate; the pod's node is read from the API.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createTestLogger } from '../../core/index.js';
import { createCA, issueCertificate, type KeyPairPem } from '../../core/pki/index.js';
import { FakeContainerLocator, createExecOnlyRuntime, startTestEdgeStream, type EdgeStream } from '../../testing/fake-container-streams.js';
import { FakeKubeClient } from '../../testing/fake-kube-client.js';
import { Resources } from '../kube/index.js';
import { startCloudStream, type CloudStream } from './index.js';

function get(port: number, path: string, ca: string, client?: KeyPairPem): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, ca, ...(client ? { cert: client.certPem, key: client.keyPem } : {}) }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('cloudstream: kubelet-style API on the stream port (real cluster)', () => {
  let cloud: CloudStream;
  let edge: EdgeStream;
  let kubeedgeCa: KeyPairPem;
  let apiserverClient: KeyPairPem;
  const kube = new FakeKubeClient();

  before(async () => {
    kubeedgeCa = await createCA('KubeEdge');
    const clusterCa = await createCA('kubernetes');
    apiserverClient = await issueCertificate(clusterCa, { commonName: 'kube-apiserver-kubelet-client', organization: ['system:masters'], usage: 'client' });
    const serving = await issueCertificate(kubeedgeCa, { commonName: 'KubeEdge', ipAddresses: ['127.0.0.1'], usage: 'server' });
    const node = await issueCertificate(kubeedgeCa, { commonName: 'system:node:edge-1', organization: ['system:nodes'], usage: 'client' });
    const dir = mkdtempSync(join(tmpdir(), 'kets-kubelet-api-'));
    const logPath = join(dir, 'app.log');
    writeFileSync(logPath, '2024-05-01T10:00:00Z stdout F a\n2024-05-01T10:00:01Z stdout F b\n');
    await kube.create(Resources.nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'edge-1' } });
    await kube.create(Resources.pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { nodeName: 'edge-1', containers: [{ name: 'app' }] } });
    const locator = new FakeContainerLocator();
    locator.add({ namespace: 'default', pod: 'web', name: 'app', current: { podUid: 'u', containerName: 'app', containerId: 'c', logPath, running: true } });
    const log = createTestLogger({ level: 'warn' });
    cloud = await startCloudStream({
      tunnel: { address: '127.0.0.1', port: 0 }, tls: { caPem: kubeedgeCa.certPem, ...serving }, log,
      kubelet: { address: '127.0.0.1', port: 0, clientCaPem: clusterCa.certPem, kube },
    });
    edge = startTestEdgeStream({ server: `wss://127.0.0.1:${cloud.tunnelPort}`, nodeName: 'edge-1', tls: () => ({ caPem: kubeedgeCa.certPem, ...node }), locator, runtime: createExecOnlyRuntime(), log });
    while (!cloud.nodes().includes('edge-1')) await new Promise((r) => setTimeout(r, 10));
  });
  after(async () => {
    await edge.stop();
    await cloud.stop();
  });

  test('containerLogs with the API server\'s client certificate; 401 without it', async () => {
    const port = cloud.streamPort ?? 0;
    const r = await get(port, '/containerLogs/default/web/app?tailLines=1', kubeedgeCa.certPem, apiserverClient);
    assert.deepEqual(r, { status: 200, text: 'b\n' });
    assert.equal((await get(port, '/containerLogs/default/web/app', kubeedgeCa.certPem)).status, 401);
    assert.equal((await get(port, '/containerLogs/default/ghost/app', kubeedgeCa.certPem, apiserverClient)).status, 404);
  });

  test('exec over WebSocket v5', async () => {
    const ws = new WebSocket(`wss://127.0.0.1:${cloud.streamPort ?? 0}/exec/default/web/app?command=echo&command=hi&stdout=true`, ['v5.channel.k8s.io'],
      { ca: kubeedgeCa.certPem, cert: apiserverClient.certPem, key: apiserverClient.keyPem });
    let out = '';
    let status = '';
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (d: Buffer) => { if (d[0] === 1) out += d.subarray(1).toString(); if (d[0] === 3) status = d.subarray(1).toString(); });
      ws.on('close', () => resolve());
      ws.on('error', reject);
    });
    assert.equal(out, 'hi\n');
    assert.deepEqual(JSON.parse(status), { metadata: {}, status: 'Success' });
  });

  test('the stream port is recorded on the Node as its kubelet endpoint', async () => {
    let port: unknown;
    while (port === undefined) {
      const n = await kube.get(Resources.nodes, null, 'edge-1');
      port = (n?.['status'] as { daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } } | undefined)?.daemonEndpoints?.kubeletEndpoint?.Port;
      if (port === undefined) await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(port, cloud.streamPort);
  });
});
