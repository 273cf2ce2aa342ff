// Offline autonomy (issue 4 §4), for both runtimes: with the cloud unreachable, a simulated reboot (edgecore
// and every container or process it started are killed) brings every pod back from SQLite with restart
// policies honoured; the control plane does not evict the pods meanwhile; status made offline reaches the
// API after the link returns; a pod deleted in the cloud while the node was away is removed on reconnect.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloudcoreSuite } from './suite.js';
import { eventually, type EdgecoreProcess } from './edgecore.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { kubectl, kubectlStream } from './kubectl.js';
import { applyYaml, busyboxPod, containerStatus, getPod, isRunningReady, listPods, startEdgeEnv, waitPod, type EdgeEnv, type Json, type RuntimeKind } from './pods.js';

/**
 * A power cut for the process runtime: SIGKILLs the process group of every container recorded as running in
 * its state file, when the pid still belongs to that container (same start time), so a reused pid is safe.
 */
export function killProcessRuntimeChildren(dataDir: string): number {
  const state = JSON.parse(readFileSync(join(dataDir, 'process-runtime', 'state.json'), 'utf8')) as
    { containers?: Record<string, { pid?: number; pidStartTime?: string }> };
  let killed = 0;
  for (const rec of Object.values(state.containers ?? {})) {
    if (!rec.pid || !rec.pidStartTime) continue;
    let stat: string;
    try { stat = readFileSync(`/proc/${rec.pid}/stat`, 'utf8'); } catch { continue; }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[19] !== rec.pidStartTime) continue;
    try { process.kill(-rec.pid, 'SIGKILL'); killed++; } catch { /* already gone */ }
  }
  return killed;
}

/** An empty kubeconfig beside the edge's data, so kubectl uses only --server (and caches discovery there). */
export function emptyKubeconfig(edge: EdgecoreProcess): string {
  const path = join(edge.dataDir, 'local-api.kubeconfig');
  writeFileSync(path, '');
  return path;
}

/** Pods as the edge's own API (metaserver) shows them; works with the cloud unreachable. */
export async function edgePods(edge: EdgecoreProcess, selector: string): Promise<Json[]> {
  const r = await kubectl(emptyKubeconfig(edge), ['--server', `http://127.0.0.1:${edge.metaserverPort}`, 'get', 'pods', '-n', 'default', '-l', selector, '-o', 'json']);
  if (r.code !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout) as { items: Json[] }).items;
}

export function offlineFlows(runtime: RuntimeKind): void {
  const cfgDir = mkdtempSync(join(tmpdir(), 'kets-offline-cfg-'));
  const cfg = join(cfgDir, 'cloudcore.yaml');
  // A short grace so the node is declared lost during the test, and eviction would be due if it applied.
  writeFileSync(cfg, 'embeddedControlPlane:\n  nodeMonitorGracePeriodSeconds: 5\n  podEvictionTimeoutSeconds: 5\n');
  describe(`offline autonomy (${runtime} runtime)`, { timeout: 600_000 }, () => {
    const suite = cloudcoreSuite({ extraArgs: ['--config', cfg] });
    const node = `edge-offline-${runtime}`;
    let env: EdgeEnv;
    let proxy: FaultProxy;
    before(async () => {
      proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: suite.cc.ports.cloudhub } });
      env = await startEdgeEnv(suite.cc, runtime, node, { cloudhub: `127.0.0.1:${proxy.port}` });
    });
    after(async () => { await env?.dispose(); await proxy?.close(); rmSync(cfgDir, { recursive: true, force: true }); });

    test('pods come back after an offline reboot, and the cloud catches up after reconnect', async () => {
      const k = suite.k;
      await applyYaml(suite.cc, JSON.stringify({
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'auto', namespace: 'default' },
        spec: { replicas: 4, selector: { matchLabels: { app: 'auto' } }, template: { metadata: { labels: { app: 'auto' } },
          spec: { nodeName: node, terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'kubeedge-ts.local/busybox:1.36', command: ['sh', '-c', 'while true; do sleep 1; done'] }] } } },
      }));
      await applyYaml(suite.cc, busyboxPod('once', node, 'echo finished', { spec: { restartPolicy: 'Never' }, labels: { group: 'offline' } }));
      await applyYaml(suite.cc, busyboxPod('doomed', node, 'sleep 600', { labels: { group: 'offline' } }));
      await eventually(async () => {
        const pods = await listPods(suite.cc, 'app=auto');
        return pods.length === 4 && pods.every(isRunningReady) || undefined;
      }, '4 auto pods Running', { timeoutMs: 120_000, describe: () => env.edge.logs().slice(-5000) });
      await waitPod(suite.cc, env.edge, 'once', 'Succeeded', (p) => p.status?.phase === 'Succeeded');
      await waitPod(suite.cc, env.edge, 'doomed', 'Running', isRunningReady);
      const before = new Map((await listPods(suite.cc, 'app=auto')).map((p) => [p.metadata.uid as string, p]));

      // The cloud becomes unreachable.
      proxy.setMode({ kind: 'refuse' });
      proxy.cutAll();
      await eventually(async () => {
        const r = await kubectl(suite.cc.kubeconfig, ['get', 'node', node, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
        return r.stdout.trim() === 'Unknown' || undefined;
      }, 'node Unknown in the API', { timeoutMs: 60_000 });
      await k(['delete', 'pod', 'doomed', '--wait=false']);

      // Power cut: edgecore and every container or process it started die; then the node boots offline.
      await env.edge.kill();
      if (env.containerd) await env.containerd.crash();
      else killProcessRuntimeChildren(env.edge.dataDir);
      if (env.containerd) await env.containerd.restart();
      const t0 = Date.now();
      await env.edge.restart();
      const back = await eventually(async () => {
        const pods = await edgePods(env.edge, 'app=auto');
        return pods.length === 4 && pods.every(isRunningReady) ? pods : undefined;
      }, 'all pods Running again at the edge, offline', { timeoutMs: 120_000, intervalMs: 100, describe: () => env.edge.logs().slice(-6000) });
      const recoveredMs = Date.now() - t0;
      process.stdout.write(`# ${runtime}: 4 pods Running ${recoveredMs} ms after edgecore restart (offline)\n`);
      for (const p of back) assert.ok(before.has(p.metadata.uid), 'the same pods, not new ones');
      // The node's own API answers watches offline: kubectl get pods -w lists the pods back at work.
      const watch = kubectlStream(emptyKubeconfig(env.edge), ['--server', `http://127.0.0.1:${env.edge.metaserverPort}`, 'get', 'pods', '-w', '-l', 'app=auto']);
      try {
        await eventually(() => (watch.output().match(/auto-\S+\s+1\/1\s+Running/g) ?? []).length >= 4 || undefined,
          'kubectl get pods -w against the metaserver, offline', { timeoutMs: 20_000, describe: () => watch.output() });
      } finally { await watch.stop(); }
      const once = (await edgePods(env.edge, 'group=offline')).find((p) => p.metadata.name === 'once');
      assert.equal(once?.status?.phase, 'Succeeded', 'restartPolicy Never: the finished pod is not run again');

      // Not evicted while unreachable.
      const cloudPods = await listPods(suite.cc, 'app=auto');
      assert.deepEqual(new Set(cloudPods.map((p) => p.metadata.uid)), new Set(before.keys()), 'no pod evicted or replaced');

      // The link returns: statuses written offline arrive, the deleted pod is removed at the edge.
      proxy.setMode({ kind: 'pass' });
      await eventually(async () => {
        const pods = await listPods(suite.cc, 'app=auto');
        return pods.every((p) => isRunningReady(p) && (containerStatus(p)?.restartCount ?? 0) >= 1) || undefined;
      }, 'restarted pods reported Running to the API', { timeoutMs: 120_000, describe: () => env.edge.logs().slice(-5000) });
      await eventually(async () => (await getPod(suite.cc, 'doomed')) === undefined || undefined, 'pod deleted offline is gone after reconnect', { timeoutMs: 120_000 });
      await eventually(async () => !(await edgePods(env.edge, 'group=offline')).some((p) => p.metadata.name === 'doomed') || undefined,
        'and gone from the edge');
      const onceApi = await getPod(suite.cc, 'once');
      assert.equal(onceApi?.status?.phase, 'Succeeded');
    });
  });
}
