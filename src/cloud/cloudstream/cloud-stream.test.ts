// cloudstream + edgestream in one process: the embedded API server's pods/log and pods/exec, through
// a real mutual-TLS tunnel, to a fake locator (CRI log files on disk) and a runtime that execs host
// processes. Clients speak as kubectl does: HTTPS for logs, WebSocket v5/v4 channels for exec.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createTestLogger } from '../../core/index.js';
import { createCA, issueCertificate, type KeyPairPem } from '../../core/pki/index.js';
import { startHarness, type Harness } from '../../testing/api-server-harness.js';
import { FakeContainerLocator, createExecOnlyRuntime, startTestEdgeStream, type EdgeStream } from '../../testing/fake-container-streams.js';
import { startCloudStream, type CloudStream } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'kets-cloudstream-'));
const pods = '/api/v1/namespaces/default/pods';

function logFile(name: string, lines: string[]): string {
  const p = join(dir, name);
  writeFileSync(p, lines.map((l, i) => `2024-05-01T10:00:0${i}Z stdout F ${l}\n`).join(''));
  return p;
}

interface ExecResult { protocol: string; stdout: string; stderr: string; status: Record<string, unknown> | undefined }

/** A kubectl-style exec client: sends stdin then closes it (v5) and collects channels until close. */
function execWs(h: Harness, query: string, o: { protocols?: string[]; stdin?: string; closeStdin?: boolean; resize?: [number, number] } = {}): Promise<ExecResult> {
  const url = `${h.client.creds.server.replace('https', 'wss')}${pods}/web/exec?${query}`;
  const ws = new WebSocket(url, o.protocols ?? ['v5.channel.k8s.io', 'v4.channel.k8s.io'], { ca: h.client.creds.caPem, cert: h.client.creds.certPem, key: h.client.creds.keyPem });
  const r: ExecResult = { protocol: '', stdout: '', stderr: '', status: undefined };
  return new Promise((resolve, reject) => {
    ws.on('open', () => {
      r.protocol = ws.protocol;
      if (o.resize) ws.send(Buffer.concat([Buffer.from([4]), Buffer.from(JSON.stringify({ Width: o.resize[0], Height: o.resize[1] }))]));
      if (o.stdin !== undefined) ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(o.stdin)]));
      if (o.closeStdin) ws.send(Buffer.from([255, 0]));
    });
    ws.on('message', (data: Buffer) => {
      const body = data.subarray(1).toString('utf8');
      if (data[0] === 1) r.stdout += body;
      else if (data[0] === 2) r.stderr += body;
      else if (data[0] === 3) r.status = JSON.parse(body) as Record<string, unknown>;
    });
    ws.on('close', () => resolve(r));
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => reject(Object.assign(new Error(`refused ${res.statusCode ?? 0}: ${text}`), { status: res.statusCode, body: text })));
    });
    ws.on('error', () => undefined);
  });
}

async function refusedExec(h: Harness, query: string, pod = 'web'): Promise<{ status: number; message: string }> {
  const url = `${h.client.creds.server.replace('https', 'wss')}${pods}/${pod}/exec?${query}`;
  const ws = new WebSocket(url, ['v5.channel.k8s.io'], { ca: h.client.creds.caPem, cert: h.client.creds.certPem, key: h.client.creds.keyPem });
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, message: String((JSON.parse(text) as { message?: string }).message) }));
    });
    ws.on('open', () => reject(new Error('upgrade unexpectedly accepted')));
    ws.on('error', () => undefined);
  });
}

describe('cloudstream + edgestream: kubectl logs and exec through the tunnel', () => {
  let h: Harness;
  let cloud: CloudStream;
  let edge: EdgeStream;
  let ca: KeyPairPem;
  const locator = new FakeContainerLocator();
  const runtime = createExecOnlyRuntime();
  const webLog = logFile('web.log', ['one', 'two', 'three']);

  before(async () => {
    h = await startHarness();
    ca = await createCA('KubeEdge');
    const serving = await issueCertificate(ca, { commonName: 'KubeEdge', ipAddresses: ['127.0.0.1'], dnsNames: ['localhost'], usage: 'server' });
    const node = await issueCertificate(ca, { commonName: 'system:node:edge-1', organization: ['system:nodes'], usage: 'client' });
    const log = createTestLogger({ level: 'warn' });
    cloud = await startCloudStream({ tunnel: { address: '127.0.0.1', port: 0 }, tls: { caPem: ca.certPem, ...serving }, log, apiServer: h.server });
    locator.add({ namespace: 'default', pod: 'web', name: 'app',
      current: { podUid: 'u1', containerName: 'app', containerId: 'c2', logPath: webLog, running: true },
      previous: { podUid: 'u1', containerName: 'app', containerId: 'c1', logPath: logFile('web-prev.log', ['before crash']), running: false } });
    locator.add({ namespace: 'default', pod: 'done', name: 'app',
      current: { podUid: 'u2', containerName: 'app', containerId: 'c3', logPath: logFile('done.log', ['bye']), running: false } });
    for (const [name, nodeName] of [['web', 'edge-1'], ['done', 'edge-1'], ['far', 'edge-2']] as const) {
      h.api.create({ group: '', resource: 'pods' }, 'default', { metadata: { name }, spec: { nodeName, containers: [{ name: 'app', image: 'busybox' }] } });
    }
    edge = startTestEdgeStream({ server: `wss://127.0.0.1:${cloud.tunnelPort}`, nodeName: 'edge-1', tls: () => ({ caPem: ca.certPem, ...node }), locator, runtime, log });
    while (!cloud.nodes().includes('edge-1')) await new Promise((r) => setTimeout(r, 10));
  });
  after(async () => {
    await edge.stop();
    await cloud.stop();
    await h.close();
  });

  test('logs: all, --tail, --timestamps, --previous, -c', async () => {
    const all = await h.client.send('GET', `${pods}/web/log`);
    assert.equal(all.status, 200);
    assert.match(String(all.headers['content-type']), /^text\/plain/);
    assert.equal(all.text, 'one\ntwo\nthree\n');
    assert.equal((await h.client.send('GET', `${pods}/web/log?tailLines=1&timestamps=true&container=app`)).text, '2024-05-01T10:00:02Z three\n');
    assert.equal((await h.client.send('GET', `${pods}/web/log?previous=true`)).text, 'before crash\n');
    assert.equal((await h.client.send('GET', `${pods}/web/log?limitBytes=5`)).text, 'one\nt');
  });

  test('logs -f streams new lines until the container stops', async () => {
    const lines: string[] = [];
    let gotThree: () => void = () => undefined;
    const three = new Promise<void>((r) => { gotThree = r; });
    const s = await h.client.stream(`${pods}/web/log?follow=true&tailLines=1`, (l) => { lines.push(l); if (l === 'three' || l === 'four') gotThree(); });
    assert.equal(s.res.statusCode, 200);
    await three;
    appendFileSync(webLog, '2024-05-01T10:00:05Z stdout F four\n');
    while (!lines.includes('four')) await new Promise((r) => setTimeout(r, 10));
    s.abort();
    await s.ended;
    assert.deepEqual(lines, ['three', 'four']);
  });

  test('logs -f of a stopped container ends after its file is drained', async () => {
    const r = await h.client.send('GET', `${pods}/done/log?follow=true`);
    assert.equal(r.text, 'bye\n');
  });

  test('logs errors: unknown container 400, no previous instance 404, offline node 503', async () => {
    const bad = await h.client.send('GET', `${pods}/web/log?container=nope`);
    assert.equal(bad.status, 400);
    assert.equal(bad.json()['message'], 'container nope is not valid for pod web');
    const prev = await h.client.send('GET', `${pods}/done/log?previous=true`);
    assert.equal(prev.status, 404);
    assert.match(String(prev.json()['message']), /previous terminated container "app" in pod "done" not found/);
    const off = await h.client.send('GET', `${pods}/far/log`);
    assert.equal(off.status, 503);
    assert.match(String(off.json()['message']), /node edge-2 is not connected/);
    assert.equal((await h.client.send('GET', `${pods}/web/log?tailLines=x`)).status, 400);
  });

  test('exec v5: stdin, stdout, stderr, stdin close, resize and Success status', async () => {
    const r = await execWs(h, 'command=sh&command=-c&command=cat;echo err>%262&stdin=true&stdout=true&stderr=true', { stdin: 'hello\n', closeStdin: true });
    assert.equal(r.protocol, 'v5.channel.k8s.io');
    assert.equal(r.stdout, 'hello\n');
    assert.equal(r.stderr, 'err\n');
    assert.deepEqual(r.status, { metadata: {}, status: 'Success' });
    const tty = await execWs(h, 'command=echo&command=hi&stdout=true&tty=true', { resize: [120, 40] });
    assert.equal(tty.stdout, 'hi\n');
    const last = runtime.execs.at(-1);
    assert.equal(last?.request.tty, true);
  });

  test('exec v4: a non-zero exit code comes back as NonZeroExitCode with the code as cause', async () => {
    const r = await execWs(h, 'command=sh&command=-c&command=echo out;exit 3&stdout=true&stderr=true', { protocols: ['v4.channel.k8s.io'] });
    assert.equal(r.protocol, 'v4.channel.k8s.io');
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.status?.['status'], 'Failure');
    assert.equal(r.status?.['reason'], 'NonZeroExitCode');
    assert.deepEqual(r.status?.['details'], { causes: [{ reason: 'ExitCode', message: '3' }] });
    assert.match(String(r.status?.['message']), /^command terminated with non-zero exit code: /);
  });

  test('exec refusals: stopped container 400, offline node 503, unknown container 400, no command 400, SPDY-only 400', async () => {
    const stopped = await refusedExec(h, 'command=ls&stdout=true', 'done');
    assert.equal(stopped.status, 400);
    assert.match(stopped.message, /container app is not running/);
    const off = await refusedExec(h, 'command=ls&stdout=true', 'far');
    assert.equal(off.status, 503);
    assert.equal((await refusedExec(h, 'command=ls&stdout=true&container=nope')).message, 'container nope is not valid for pod web');
    assert.equal((await refusedExec(h, 'stdout=true')).message, 'you must specify at least 1 command');
    await assert.rejects(execWs(h, 'command=ls&stdout=true', { protocols: ['v3.channel.k8s.io'] }), (err: { status?: number }) => err.status === 400);
  });

  test('the SPDY retry kubectl makes after a refused WebSocket carries the real reason', async () => {
    const spdy = (pod: string): Promise<{ status: number; message: string }> => new Promise((resolve, reject) => {
      const req = httpsRequest({ ...h.client.options('POST', `${pods}/${pod}/exec?command=ls&stdout=true`), headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1' } });
      req.on('upgrade', () => reject(new Error('SPDY upgrade unexpectedly accepted')));
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => { text += c.toString(); });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, message: String((JSON.parse(text) as { message?: string }).message) }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.deepEqual(await spdy('done'), { status: 400, message: 'container app is not running in pod default/done' });
    assert.deepEqual(await spdy('web'), { status: 400, message: 'exec is served over WebSocket (v5.channel.k8s.io, v4.channel.k8s.io) only; SPDY is not supported' });
    assert.equal((await spdy('far')).status, 503);
  });

  test('large output crosses the tunnel whole (windowed flow control)', async () => {
    const r = await execWs(h, 'command=sh&command=-c&command=head -c 3000000 /dev/zero | tr "\\\\0" x&stdout=true');
    assert.equal(r.stdout.length, 3_000_000);
    assert.deepEqual(r.status, { metadata: {}, status: 'Success' });
  });
});

describe('cloudstream: tunnel identity', () => {
  test('a certificate that is not a node certificate, or a node_id that differs, is refused', async () => {
    const ca = await createCA('KubeEdge');
    const serving = await issueCertificate(ca, { commonName: 'KubeEdge', ipAddresses: ['127.0.0.1'], usage: 'server' });
    const cloud = await startCloudStream({ tunnel: { address: '127.0.0.1', port: 0 }, tls: { caPem: ca.certPem, ...serving }, log: createTestLogger({ level: 'silent' }) });
    const dial = (cert: KeyPairPem, nodeId: string): Promise<number> => new Promise((resolve) => {
      const ws = new WebSocket(`wss://127.0.0.1:${cloud.tunnelPort}/v1/tunnel`, { ca: ca.certPem, cert: cert.certPem, key: cert.keyPem, headers: { node_id: nodeId } });
      ws.on('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => { ws.close(); resolve(101); });
      ws.on('error', () => resolve(0));
    });
    try {
      const admin = await issueCertificate(ca, { commonName: 'admin', organization: ['system:masters'], usage: 'client' });
      const node = await issueCertificate(ca, { commonName: 'system:node:edge-9', organization: ['system:nodes'], usage: 'client' });
      assert.equal(await dial(admin, 'edge-9'), 403);
      assert.equal(await dial(node, 'edge-8'), 403);
      assert.equal(await dial(node, 'edge-9'), 101);
      assert.equal(cloud.metrics().refused, 2);
    } finally {
      await cloud.stop();
    }
  });
});
