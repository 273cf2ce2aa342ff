// cloudhub benchmark (issue 3 §5): how many edge nodes one cloudcore holds on this 2-core machine,
// their idle uplink, downstream delivery latency at two fleet sizes, and reconnection after a
// cloudcore restart. The method is in the BENCHMARKS.md section (hollow-report.ts).
// Parameters: BENCH_QUICK=1 (about 50 nodes, short windows), BENCH_NODES, BENCH_NODES_SMALL,
// BENCH_IDLE_S, BENCH_SAMPLES (pods patched per stage), BENCH_CERT_CONCURRENCY.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCloudcore, type CloudcoreProcess } from '../test/harness/cloudcore.js';
import { repoRoot } from '../test/harness/repo.js';
import { HollowFleet, type HollowIdentity } from './hollow-edgecore.js';
import { CERT_CACHE_ROOT, getJoinToken, hollowCertificates } from './hollow-certs.js';
import { BENCH_NAMESPACE, benchPod, carryOverCA, kubeApi, sharedConfigMap, type KubeApi } from './hollow-kube.js';
import { ReceiptLog, fanoutLatency, podUpdateLatency, waitPodsDelivered, type DeliveryResult } from './hollow-latency.js';
import { CpuWindow, memoryMiB, openFileLimit, selfIo } from './hollow-proc.js';
import { cloudhubMarkdown, type CloudhubFigures, type StageFigures } from './hollow-report.js';
import { writeSection } from './report.js';
import { runConcurrent } from './stats.js';

interface Params { nodes: number; small: number; idleSeconds: number; samples: number; fanoutRounds: number; certConcurrency: number; fdLimit: number }

function params(quick: boolean): Params {
  const env = (k: string, d: number): number => (process.env[k] ? Number(process.env[k]) : d);
  const fdLimit = openFileLimit();
  // Each node holds one socket; keep headroom for the API client, files and cloudcore's pipes.
  const wanted = env('BENCH_NODES', quick ? 50 : 10_000);
  const nodes = Math.max(1, Math.min(wanted, fdLimit - 512));
  return {
    nodes, small: Math.min(nodes, env('BENCH_NODES_SMALL', quick ? 20 : 1_000)), idleSeconds: env('BENCH_IDLE_S', quick ? 8 : 60),
    samples: env('BENCH_SAMPLES', quick ? 20 : 1_000), fanoutRounds: quick ? 2 : 3, certConcurrency: env('BENCH_CERT_CONCURRENCY', 16), fdLimit,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nodeName = (i: number): string => `hollow-${String(i).padStart(5, '0')}`;

export async function runCloudhubBench(opts: { quick: boolean }): Promise<{ figures: CloudhubFigures; markdown: string }> {
  const p = params(opts.quick);
  const work = mkdtempSync(join(tmpdir(), 'kets-bench-hub-'));
  // cloudhub's default nodeLimit is 1,000; the bench raises it above the fleet. Each node's Lease is
  // renewed from its keepalive (every 15 s): 10,000 nodes need ~670 API writes/s, so the client's qps
  // (KubeEdge default 100) is raised as KubeEdge's own scale tests do.
  // The API server runs apart, as kube-apiserver does for KubeEdge's figures: a cloudcore with the link off
  // serves the embedded control plane, and the measured cloudcore reaches it with --kubeconfig.
  const apiConfig = join(work, 'api.yaml');
  writeFileSync(apiConfig, 'modules:\n  cloudHub:\n    enable: false\n');
  const apiServer = await startCloudcore({ dataDir: join(work, 'api'), extraArgs: ['--config', apiConfig], waitForLink: false });
  const config = join(work, 'cloudcore.yaml');
  writeFileSync(config, `kubeAPIConfig:\n  qps: 3000\n  burst: 6000\nmodules:\n  cloudHub:\n    nodeLimit: ${p.nodes + 100}\n    compression: ${process.env['BENCH_COMPRESSION'] !== '0'}\n`);
  const profile = process.env['BENCH_PROFILE'] ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE']}`] } : {};
  const cc = await startCloudcore({ dataDir: join(work, 'data'), extraArgs: ['--config', config], apiOf: apiServer, ...profile });
  const fleets: HollowFleet[] = [];
  try {
    let api = kubeApi(cc.kubeconfig, cc.url);
    if (await carryOverCA(api, CERT_CACHE_ROOT)) {
      api.close();
      await cc.restart();
      api = kubeApi(cc.kubeconfig, cc.url);
    }
    const names = Array.from({ length: p.nodes }, (_, i) => nodeName(i));
    const token = await getJoinToken(join(repoRoot(), 'bin/keadm'), cc.kubeconfig);
    const certs = await hollowCertificates({ certUrl: `https://127.0.0.1:${cc.ports.cert}`, token, nodes: names, concurrency: p.certConcurrency });
    await api.must('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: BENCH_NAMESPACE } }, [201, 409]);
    await api.must('POST', `/api/v1/namespaces/${BENCH_NAMESPACE}/configmaps`, sharedConfigMap(0), [201, 409]);

    const log = new ReceiptLog();
    const pid = cc.pid() ?? 0;
    let peakRssMiB = 0;
    const stages: StageFigures[] = [];
    const sizes = p.small < p.nodes ? [p.small, p.nodes] : [p.nodes];
    let connected = 0;
    let round = 1;
    for (const size of sizes) {
      const ids = certs.identities.slice(connected, size);
      const stage = await runStage(cc, apiServer.pid() ?? 0, api, log, fleets, ids, certs.caPem, size, p, round);
      round += p.fanoutRounds + 1;
      connected = size;
      stages.push(stage);
      peakRssMiB = Math.max(peakRssMiB, memoryMiB(pid).peak);
    }
    const restart = await runRestart(cc, api, log, fleets, names, round);
    peakRssMiB = Math.max(peakRssMiB, memoryMiB(cc.pid() ?? pid).peak);

    const counters = sumCounters(fleets);
    const figures: CloudhubFigures = {
      requested: p.nodes, fdLimit: p.fdLimit,
      certs: { issued: certs.issued, cached: certs.cached, seconds: certs.seconds, csrSeconds: certs.csrSeconds },
      stages, restart, peakRssMiB, errors: counters.errors,
      counters: { registrations: counters.registrations, acksSent: counters.acksSent, disconnects: counters.disconnects, decodeErrors: counters.decodeErrors },
      upstreamAckSessions: fleets.reduce((n, f) => n + f.upstreamAckSessions(), 0),
    };
    api.close();
    const markdown = cloudhubMarkdown(figures);
    if (!opts.quick) writeSection(repoRoot(), 'cloudhub', markdown);
    return { figures, markdown };
  } finally {
    for (const f of fleets) f.stop();
    await cc.dispose();
    await apiServer.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}

async function runStage(
  cc: CloudcoreProcess, apiPid: number, api: KubeApi, log: ReceiptLog, fleets: HollowFleet[], ids: HollowIdentity[], caPem: string, size: number, p: Params, round: number,
): Promise<StageFigures> {
  const pid = cc.pid() ?? 0;
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const fleet = new HollowFleet({ cloudhub: { host: '127.0.0.1', port: cc.ports.cloudhub }, caPem, nodes: ids, onObject: log.onObject });
  fleets.push(fleet);
  await fleet.start();
  const ready = (): number => fleets.reduce((n, f) => n + f.readyCount(), 0);
  await fleet.waitReady(ids.length, 300_000);
  const connectSeconds = (performance.now() - t0) / 1000;
  const hollowRssKiBPerNode = (process.memoryUsage().rss - rss0) / 1024 / Math.max(1, ids.length);

  await runConcurrent(ids.length, 16, async (i) => {
    await api.must('POST', `/api/v1/namespaces/${BENCH_NAMESPACE}/pods`, benchPod((ids[i] as HollowIdentity).name), [201, 409]);
  });
  const stageNodes = Array.from({ length: size }, (_, i) => nodeName(i));
  await waitPodsDelivered(log, stageNodes, 120_000);

  // Idle window: let the registration and pod bursts settle, then count bytes and CPU only.
  await sleep(5_000);
  const counters0 = sumCounters(fleets).payloadBytesUp;
  const io0 = selfIo().wchar;
  const cpu = new CpuWindow(pid);
  const apiCpu = new CpuWindow(apiPid);
  const tIdle = performance.now();
  await sleep(p.idleSeconds * 1000);
  const idleSeconds = (performance.now() - tIdle) / 1000;
  const held = ready();
  const idle = {
    seconds: idleSeconds,
    upBytesPerNode: (selfIo().wchar - io0) / idleSeconds / Math.max(1, held),
    payloadUpPerNode: (sumCounters(fleets).payloadBytesUp - counters0) / idleSeconds / Math.max(1, held),
    cloudcoreCores: cpu.cores(),
    cloudcoreRssMiB: memoryMiB(pid).rss,
    apiServerCores: apiCpu.cores(),
    apiServerRssMiB: memoryMiB(apiPid).rss,
  };

  const sample = stageNodes.filter((_, i) => i % Math.max(1, Math.floor(size / p.samples)) === 0).slice(0, p.samples);
  const podUpdate = await podUpdateLatency(api, log, sample, round, 60_000);
  const fanout: DeliveryResult = { latencies: [], expected: 0, missing: 0 };
  for (let r = 1; r <= p.fanoutRounds; r++) {
    const one = await fanoutLatency(api, log, stageNodes, round + r, 120_000);
    fanout.latencies.push(...one.latencies);
    fanout.expected += one.expected;
    fanout.missing += one.missing;
  }
  return { nodes: size, connectSeconds, ready: held, idle, podUpdate, fanout, fanoutRounds: p.fanoutRounds, hollowRssKiBPerNode };
}

async function runRestart(cc: CloudcoreProcess, api: KubeApi, log: ReceiptLog, fleets: HollowFleet[], names: string[], round: number): Promise<CloudhubFigures['restart']> {
  const total = names.length;
  const ready = (): number => fleets.reduce((n, f) => n + f.readyCount(), 0);
  await cc.stop();
  const tStopped = performance.now();
  await cc.restart();
  const tUp = performance.now();
  const deadline = Date.now() + 300_000;
  while (ready() < total && Date.now() < deadline) await sleep(50);
  const backAfter = ready();
  const reconnectSeconds = backAfter === total ? (performance.now() - tUp) / 1000 : undefined;
  const fanout = await fanoutLatency(api, log, names, round, 120_000);
  return { nodes: total, cloudcoreUpSeconds: (tUp - tStopped) / 1000, reconnectSeconds, backAfter, lost: total - backAfter, fanout };
}

function sumCounters(fleets: HollowFleet[]): HollowFleet['counters'] {
  const out = { connects: 0, registrations: 0, disconnects: 0, messagesUp: 0, messagesDown: 0, payloadBytesUp: 0, payloadBytesDown: 0, acksSent: 0, responses: 0, decodeErrors: 0, errors: {} as Record<string, number> };
  for (const f of fleets) {
    const c = f.counters;
    for (const k of ['connects', 'registrations', 'disconnects', 'messagesUp', 'messagesDown', 'payloadBytesUp', 'payloadBytesDown', 'acksSent', 'responses', 'decodeErrors'] as const) out[k] += c[k];
    for (const [k, v] of Object.entries(c.errors)) out.errors[k] = (out.errors[k] ?? 0) + v;
  }
  return out;
}

// `node dist/bench/cloudhub.js` runs this benchmark alone (BENCH_QUICK=1 for the short version).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCloudhubBench({ quick: process.env['BENCH_QUICK'] === '1' }).then(({ markdown }) => {
    process.stdout.write(`${markdown}\n`);
  }, (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
