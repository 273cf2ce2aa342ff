// Joining: a real edgecore joins a real cloudcore with a token, shows Ready with the edge role in
// kubectl, and receives what its pods need into its SQLite. Bad tokens are refused with clear messages.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloudcoreSuite } from '../harness/suite.js';
import { eventually, joinToken, startEdgecore, waitNodeReady, type EdgecoreProcess } from '../harness/edgecore.js';
import { repoRoot } from '../harness/repo.js';

interface Run { code: number; out: string; stdout: string }

function keadm(args: string[], timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [join(repoRoot(), 'bin/keadm'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stdout = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; stdout += d; });
    proc.stderr.setEncoding('utf8').on('data', (d: string) => { out += d; });
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('close', (code) => { clearTimeout(timer); resolve({ code: code ?? 1, out, stdout }); });
  });
}

describe('joining an edge node', () => {
  const suite = cloudcoreSuite();
  const edges: EdgecoreProcess[] = [];
  const dirs: string[] = [];
  after(async () => {
    for (const e of edges) await e.dispose();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = (): string => { const d = mkdtempSync(join(tmpdir(), 'kets-join-')); dirs.push(d); return d; };
  const joinArgs = (token: string, node: string, dir: string): string[] => [
    'join', '--cloudcore-ipport', `127.0.0.1:${suite.cc.ports.cloudhub}`, '--certport', String(suite.cc.ports.cert),
    '--token', token, '--edgenode-name', node, '--data-dir', dir, '--runtime', 'process',
  ];

  test('a node joins with the token and is Ready with the edge role', async () => {
    const token = await joinToken(suite.cc);
    assert.match(token, /^[0-9a-f]{64}\.[\w-]+\.[\w-]+\.[\w-]+$/, 'token = hex(sha256(CA)) + "." + JWT');
    const edge = await startEdgecore(suite.cc, { nodeName: 'edge-join', token });
    edges.push(edge);
    await waitNodeReady(suite.cc, edge);
    const node = JSON.parse(await suite.k(['get', 'node', 'edge-join', '-o', 'json']));
    assert.equal(node.metadata.labels['node-role.kubernetes.io/edge'], '');
    assert.ok(Number(node.status.capacity.pods) > 0, 'capacity.pods');
    assert.match(node.status.capacity.memory, /^\d+Ki$/);
    assert.ok(node.status.addresses.some((a: { type: string }) => a.type === 'InternalIP'), 'InternalIP address');
    assert.ok(node.status.nodeInfo.kernelVersion, 'nodeInfo.kernelVersion');
    const table = await suite.k(['get', 'nodes']);
    assert.match(table, /edge-join\s+Ready\s+\S*edge/);
    // The certificate the node got: CN system:node:<name>, O system:nodes, issued by the cloud's CA.
    const certPem = readFileSync(join(edge.dataDir, 'certs/server.crt'), 'utf8');
    assert.match(certPem, /BEGIN CERTIFICATE/);
  });

  test('a configmap a pod uses reaches the edge SQLite, and so does every change to it', async () => {
    const edge = edges[0];
    assert.ok(edge, 'the first test joined a node');
    await suite.k(['create', 'configmap', 'app-config', '--from-literal=mode=fast']);
    await suite.k(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: { name: uses-config, namespace: default }
spec:
  nodeName: edge-join
  containers:
  - name: app
    image: busybox
    envFrom: [{ configMapRef: { name: app-config } }]
`);
    const read = (key: string): Record<string, any> | undefined => {
      const rows = edge.query<{ value: string }>('SELECT value FROM meta WHERE key = ?', key);
      return rows[0] ? JSON.parse(rows[0].value) : undefined;
    };
    await eventually(() => read('default/pod/uses-config'), 'the pod in the edge meta table', { describe: edge.logs });
    await eventually(() => read('default/configmap/app-config')?.data?.mode === 'fast', 'the configmap in the edge meta table', { describe: edge.logs });
    await suite.k(['patch', 'configmap', 'app-config', '-p', '{"data":{"mode":"slow"}}']);
    await eventually(() => read('default/configmap/app-config')?.data?.mode === 'slow', 'the configmap change at the edge', { describe: edge.logs });
    // The cloud records what the node acked (ObjectSync, reliablesyncs.kubeedge.io).
    const cm = JSON.parse(await suite.k(['get', 'configmap', 'app-config', '-o', 'json']));
    await eventually(async () => {
      const os = JSON.parse(await suite.k(['get', 'objectsyncs', '-o', 'json']));
      return os.items.some((o: any) => o.metadata.name === `edge-join.${cm.metadata.uid}` && o.status?.objectResourceVersion === cm.metadata.resourceVersion);
    }, 'an ObjectSync with the acked resourceVersion');
  });

  test('keadm join with a malformed token fails with a clear message', async () => {
    const r = await keadm(joinArgs('not-a-token', 'edge-bad1', tempDir()));
    assert.notEqual(r.code, 0);
    assert.match(r.out, /token/i);
  });

  test('keadm join with a token for another CA reports the CA hash mismatch', async () => {
    const token = await joinToken(suite.cc);
    const forged = `${'0'.repeat(64)}${token.slice(64)}`;
    const r = await keadm(joinArgs(forged, 'edge-bad2', tempDir()));
    assert.notEqual(r.code, 0);
    assert.match(r.out, /SHA-256 .* but the token expects/);
  });

  test('keadm join with a forged JWT signature is refused by the cloud', async () => {
    const token = await joinToken(suite.cc);
    const parts = token.split('.');
    const sig = parts[3] as string;
    const forged = [...parts.slice(0, 3), (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1)].join('.');
    const r = await keadm(joinArgs(forged, 'edge-bad3', tempDir()));
    assert.notEqual(r.code, 0);
    assert.match(r.out, /token|signature|401/i);
  });

  test('a one-time token works once; used or expired ones are refused', async () => {
    const once = await keadm(['gettoken', '--kubeconfig', suite.cc.kubeconfig, '--once', '--ttl', '1h']);
    assert.equal(once.code, 0, once.out);
    const token = once.stdout.trim();
    const dir = tempDir();
    const first = await keadm(joinArgs(token, 'edge-once', dir));
    assert.equal(first.code, 0, first.out);
    try {
      assert.match(readFileSync(join(dir, 'certs/server.crt'), 'utf8'), /BEGIN CERTIFICATE/);
      await eventually(async () => (await suite.k(['get', 'nodes', '-o', 'name'])).includes('node/edge-once'), 'edge-once registered');
    } finally {
      const reset = await keadm(['reset', '--data-dir', dir, '--force']);
      assert.equal(reset.code, 0, reset.out);
    }
    assert.throws(() => readFileSync(join(dir, 'edgecore.yaml')), 'reset removed the config');
    const again = await keadm(joinArgs(token, 'edge-once-2', tempDir()));
    assert.notEqual(again.code, 0);
    assert.match(again.out, /used|revoked|one-time/i);
    const short = await keadm(['gettoken', '--kubeconfig', suite.cc.kubeconfig, '--once', '--ttl', '1s']);
    assert.equal(short.code, 0, short.out);
    await new Promise((r) => setTimeout(r, 2_100));
    const expired = await keadm(joinArgs(short.stdout.trim(), 'edge-once-3', tempDir()));
    assert.notEqual(expired.code, 0);
    assert.match(expired.out, /expired/i);
  });
});
