// Downstream delivery latency for the cloudhub benchmark: an API write is timed from the moment the
// bench issues it until a hollow node receives the message carrying the object's new
// resourceVersion. Receipts are keyed by node, resource and resourceVersion; a receipt may arrive
// before the API write's response, so the clock starts when the write is sent.
import type { Message } from '../src/core/index.js';
import { BENCH_NAMESPACE, SHARED_CONFIGMAP, type KubeApi } from './hollow-kube.js';
import { runConcurrent } from './stats.js';

export class ReceiptLog {
  private readonly at = new Map<string, number>();
  /** Nodes that have received their pod at least once (any version). */
  readonly podsSeen = new Set<string>();
  recording = false;

  static key(node: string, resource: string, rv: string): string { return `${node} ${resource}@${rv}`; }

  onObject = (node: string, msg: Message, at: number): void => {
    if (msg.route.resource.startsWith(`${BENCH_NAMESPACE}/pod/`)) this.podsSeen.add(node);
    const rv = msg.header.resourceversion ?? resourceVersionOf(msg.content);
    if (!this.recording || rv === undefined) return;
    const key = ReceiptLog.key(node, msg.route.resource, rv);
    if (!this.at.has(key)) this.at.set(key, at);
  };

  get(node: string, resource: string, rv: string): number | undefined { return this.at.get(ReceiptLog.key(node, resource, rv)); }

  clear(): void { this.at.clear(); }
}

function resourceVersionOf(content: unknown): string | undefined {
  const rv = (content as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
  return typeof rv === 'string' ? rv : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (cond()) return true;
    await sleep(20);
  }
  return cond();
}

export interface DeliveryResult { latencies: number[]; expected: number; missing: number }

/** Patches one pod per sampled node (a label change) and times each until its node receives it. */
export async function podUpdateLatency(api: KubeApi, log: ReceiptLog, nodes: string[], round: number, timeoutMs: number): Promise<DeliveryResult> {
  log.clear();
  log.recording = true;
  const sent: { node: string; t0: number; rv: string }[] = [];
  await runConcurrent(nodes.length, 16, async (i) => {
    const node = nodes[i] as string;
    const t0 = performance.now();
    const pod = await api.must('PATCH', `/api/v1/namespaces/${BENCH_NAMESPACE}/pods/pod-${node}`, { metadata: { labels: { round: String(round) } } }, [200], 'application/merge-patch+json');
    sent.push({ node, t0, rv: String(pod.metadata.resourceVersion) });
  });
  const resource = (node: string) => `${BENCH_NAMESPACE}/pod/pod-${node}`;
  await waitFor(() => sent.every((s) => log.get(s.node, resource(s.node), s.rv) !== undefined), timeoutMs);
  log.recording = false;
  const latencies: number[] = [];
  for (const s of sent) {
    const at = log.get(s.node, resource(s.node), s.rv);
    if (at !== undefined) latencies.push(at - s.t0);
  }
  return { latencies, expected: sent.length, missing: sent.length - latencies.length };
}

/** Updates the configmap every node's pod references and times its arrival at each of `nodes`. */
export async function fanoutLatency(api: KubeApi, log: ReceiptLog, nodes: string[], round: number, timeoutMs: number): Promise<DeliveryResult> {
  log.clear();
  log.recording = true;
  const resource = `${BENCH_NAMESPACE}/configmap/${SHARED_CONFIGMAP}`;
  const t0 = performance.now();
  const cm = await api.must('PUT', `/api/v1/namespaces/${BENCH_NAMESPACE}/configmaps/${SHARED_CONFIGMAP}`, {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: SHARED_CONFIGMAP, namespace: BENCH_NAMESPACE }, data: { round: String(round) },
  }, [200]);
  const rv = String(cm.metadata.resourceVersion);
  await waitFor(() => nodes.every((n) => log.get(n, resource, rv) !== undefined), timeoutMs);
  log.recording = false;
  const latencies: number[] = [];
  for (const n of nodes) {
    const at = log.get(n, resource, rv);
    if (at !== undefined) latencies.push(at - t0);
  }
  return { latencies, expected: nodes.length, missing: nodes.length - latencies.length };
}

/** Waits until every node in `nodes` has received its pod once; returns how many did. */
export async function waitPodsDelivered(log: ReceiptLog, nodes: string[], timeoutMs: number): Promise<number> {
  await waitFor(() => nodes.every((n) => log.podsSeen.has(n)), timeoutMs);
  return nodes.filter((n) => log.podsSeen.has(n)).length;
}
