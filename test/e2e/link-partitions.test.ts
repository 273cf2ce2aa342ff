// Partitions: the link goes through a fault-injecting TCP proxy. A half-open link is detected on both
// sides; a randomized run of cuts, blackholes and delays during streams of updates in both directions
// ends with every acked version at the edge, every report in the API, and equal final states.
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { cloudcoreSuite } from '../harness/suite.js';
import { eventually, joinToken, startEdgecore, waitNodeReady, type EdgecoreProcess } from '../harness/edgecore.js';
import { startFaultProxy } from '../harness/fault-proxy.js';
import { cloudMetrics, metricSum, patchPodStatusAtEdge, postEventAtEdge } from '../harness/link.js';

type Proxy = Awaited<ReturnType<typeof startFaultProxy>>;

/** A small seeded PRNG so a failing run can be replayed with the printed seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

describe('partitions between edge and cloud', () => {
  const suite = cloudcoreSuite();
  let proxy: Proxy;
  let edge: EdgecoreProcess;
  const node = 'edge-part';
  const logs = (): string => `--- edge ---\n${edge.logs().slice(-4000)}\n--- cloud ---\n${suite.cc.logs().slice(-4000)}`;
  const edgeValue = (key: string): Record<string, any> | undefined => {
    const rows = edge.query<{ value: string }>('SELECT value FROM meta WHERE key = ?', key);
    return rows[0] ? JSON.parse(rows[0].value) : undefined;
  };

  before(async () => {
    proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: suite.cc.ports.cloudhub } });
    edge = await startEdgecore(suite.cc, { nodeName: node, token: await joinToken(suite.cc), cloudhub: `127.0.0.1:${proxy.port}` });
    await waitNodeReady(suite.cc, edge);
  });
  after(async () => { await edge?.dispose(); await proxy?.close(); });

  test('a half-open link (blackhole) is detected by both sides, and the link comes back', async () => {
    const connected = async (): Promise<number> => metricSum(await cloudMetrics(suite.cc), 'kubeedge_cloudhub_connected_nodes');
    await eventually(async () => (await connected()) === 1, 'one connected node');
    const edgeLogStart = edge.logs().length;
    const t0 = Date.now();
    proxy.setMode({ kind: 'blackhole' });
    await eventually(async () => (await connected()) === 0, 'the cloud to drop the silent session', { timeoutMs: 60_000, describe: logs });
    const cloudMs = Date.now() - t0;
    await eventually(() => /disconnected/.test(edge.logs().slice(edgeLogStart)), 'the edge to notice the dead link', { timeoutMs: 70_000, describe: logs });
    const edgeMs = Date.now() - t0;
    process.stdout.write(`# half-open link detected: cloud after ${cloudMs} ms, edge after ${edgeMs} ms\n`);
    proxy.setMode({ kind: 'pass' });
    await eventually(async () => (await connected()) === 1, 'the edge to reconnect', { timeoutMs: 60_000, describe: logs });
  });

  test('randomized partitions during update streams in both directions lose nothing', async () => {
    const seed = Number(process.env['PARTITION_SEED'] ?? Date.now() % 100_000);
    const rand = prng(seed);
    process.stdout.write(`# partition seed ${seed} (PARTITION_SEED=${seed} replays it)\n`);
    const configmaps = ['p-cm-0', 'p-cm-1', 'p-cm-2'];
    const pods = ['p-pod-0', 'p-pod-1', 'p-pod-2'];
    for (const cm of configmaps) await suite.k(['create', 'configmap', cm, '--from-literal=v=0']);
    for (const [i, pod] of pods.entries()) {
      await suite.k(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: { name: ${pod}, namespace: default }
spec:
  nodeName: ${node}
  containers:
  - name: app
    image: busybox
    envFrom: [{ configMapRef: { name: ${configmaps[i]} } }]
`);
    }
    await eventually(() => pods.every((p) => edgeValue(`default/pod/${p}`)) && configmaps.every((c) => edgeValue(`default/configmap/${c}`)),
      'pods and configmaps at the edge', { describe: logs });

    const partitions = Number(process.env['PARTITIONS'] ?? 6);
    const lastDown = new Map<string, number>();
    const lastUp = new Map<string, number>();
    const events: string[] = [];
    let running = true;
    let down = 0;
    let up = 0;
    const downstream = (async () => {
      while (running) {
        const cm = configmaps[Math.floor(rand() * configmaps.length)] as string;
        const v = ++down;
        await suite.k(['patch', 'configmap', cm, '-p', JSON.stringify({ data: { v: String(v) } })]);
        lastDown.set(cm, v);
        await new Promise((r) => setTimeout(r, 50 + rand() * 150));
      }
    })();
    const upstream = (async () => {
      while (running) {
        const pod = pods[Math.floor(rand() * pods.length)] as string;
        const v = ++up;
        await patchPodStatusAtEdge(edge, 'default', pod, { phase: 'Running', message: `u-${v}` });
        lastUp.set(pod, v);
        if (v % 3 === 0) {
          const name = `p-evt-${v}`;
          await postEventAtEdge(edge, 'default', name, pod, `event ${v}`);
          events.push(name);
        }
        await new Promise((r) => setTimeout(r, 30 + rand() * 120));
      }
    })();
    const modes = ['cut', 'blackhole', 'delay', 'refuse'] as const;
    for (let i = 0; i < partitions; i++) {
      await new Promise((r) => setTimeout(r, 1_000 + rand() * 2_000));
      const mode = modes[Math.floor(rand() * modes.length)] as (typeof modes)[number];
      const holdMs = 1_000 + Math.floor(rand() * 4_000);
      process.stdout.write(`# partition ${i + 1}/${partitions}: ${mode} for ${holdMs} ms\n`);
      if (mode === 'cut') { proxy.cutAll(); proxy.setMode({ kind: 'refuse' }); }
      else if (mode === 'blackhole') proxy.setMode({ kind: 'blackhole' });
      else if (mode === 'delay') proxy.setMode({ kind: 'delay', ms: 200 + Math.floor(rand() * 800) });
      else { proxy.cutAll(); proxy.setMode({ kind: 'refuse' }); }
      await new Promise((r) => setTimeout(r, holdMs));
      if (mode === 'blackhole') proxy.cutAll();
      proxy.setMode({ kind: 'pass' });
    }
    running = false;
    await Promise.all([downstream, upstream]);

    // Final states converge: the edge holds the cloud's last version of every configmap, the API holds the
    // edge's last report for every pod, and every event reported at the edge exists once in the API.
    await eventually(() => configmaps.every((cm) => lastDown.get(cm) === undefined || edgeValue(`default/configmap/${cm}`)?.data?.v === String(lastDown.get(cm))),
      'every configmap\'s last version at the edge', { timeoutMs: 120_000, describe: logs });
    await eventually(async () => {
      for (const pod of pods) {
        const want = lastUp.get(pod);
        if (want === undefined) continue;
        const got = JSON.parse(await suite.k(['get', 'pod', pod, '-o', 'json'])).status?.message;
        if (got !== `u-${want}`) return false;
      }
      return true;
    }, 'every pod\'s last status in the API', { timeoutMs: 120_000, describe: logs });
    await eventually(async () => {
      const names = new Set(JSON.parse(await suite.k(['get', 'events', '-o', 'json'])).items.map((e: any) => e.metadata.name));
      return events.every((e) => names.has(e));
    }, `all ${events.length} events in the API`, { timeoutMs: 120_000, describe: logs });
    // Every version the edge acked (recorded in ObjectSync) is at or below what its database holds.
    const syncs = JSON.parse(await suite.k(['get', 'objectsyncs', '-o', 'json'])).items as any[];
    for (const cm of configmaps) {
      const obj = JSON.parse(await suite.k(['get', 'configmap', cm, '-o', 'json']));
      const sync = syncs.find((s) => s.metadata.name === `${node}.${obj.metadata.uid}`);
      const atEdge = edgeValue(`default/configmap/${cm}`);
      assert.ok(atEdge, `${cm} at the edge`);
      if (sync?.status?.objectResourceVersion) {
        assert.ok(BigInt(sync.status.objectResourceVersion) <= BigInt(atEdge.metadata.resourceVersion),
          `${cm}: acked ${sync.status.objectResourceVersion} but the edge holds ${atEdge.metadata.resourceVersion}`);
      }
    }
    const m = await cloudMetrics(suite.cc);
    process.stdout.write(`# ${partitions} partitions, ${down} downstream and ${up} upstream updates, ${events.length} events; ` +
      `resends ${metricSum(m, 'kubeedge_cloudhub_resends_total')}, duplicates dropped ${metricSum(m, 'kubeedge_cloudhub_duplicates_total')}, ` +
      `proxy ${JSON.stringify(proxy.stats())}\n`);
  });
});
