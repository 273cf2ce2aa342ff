// Helpers for link tests: the cloud's Prometheus metrics, and the edge's local API (metaserver) as the
// source of upstream traffic (pod status patches and events go up through edgecore's reliable outbox).
import { request } from 'node:http';
import type { CloudcoreProcess } from './cloudcore.js';
import type { EdgecoreProcess } from './edgecore.js';

export interface HttpAnswer { status: number; body: string }

export function httpCall(port: number, method: string, path: string, body?: unknown, contentType = 'application/merge-patch+json'): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = request({ host: '127.0.0.1', port, method, path, timeout: 10_000,
      headers: data ? { 'content-type': contentType, 'content-length': data.length } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => { text += d; }).on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.end(data);
  });
}

/** Parses Prometheus text into name{labels} → value. */
export async function cloudMetrics(cc: CloudcoreProcess): Promise<Map<string, number>> {
  const r = await httpCall(cc.ports.metrics, 'GET', '/metrics');
  if (r.status !== 200) throw new Error(`GET /metrics answered ${r.status}`);
  const out = new Map<string, number>();
  for (const line of r.body.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

/** Sum of every series of a metric (all label sets). */
export function metricSum(m: Map<string, number>, name: string): number {
  let sum = 0;
  for (const [k, v] of m) if (k === name || k.startsWith(`${name}{`)) sum += v;
  return sum;
}

/** Patches a pod's status through the edge's local API; it reaches the cloud through the outbox. */
export async function patchPodStatusAtEdge(edge: EdgecoreProcess, ns: string, name: string, status: Record<string, unknown>): Promise<void> {
  const r = await httpCall(edge.metaserverPort, 'PATCH', `/api/v1/namespaces/${ns}/pods/${name}/status`, { status });
  if (r.status !== 200) throw new Error(`edge PATCH pod ${ns}/${name} status answered ${r.status}: ${r.body}`);
}

/** Records an event through the edge's local API. */
export async function postEventAtEdge(edge: EdgecoreProcess, ns: string, name: string, pod: string, message: string): Promise<void> {
  const event = {
    apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: ns },
    involvedObject: { kind: 'Pod', namespace: ns, name: pod, apiVersion: 'v1' },
    reason: 'Test', message, type: 'Normal', count: 1, source: { component: 'edged', host: edge.nodeName },
    firstTimestamp: new Date().toISOString(), lastTimestamp: new Date().toISOString(),
  };
  const r = await httpCall(edge.metaserverPort, 'POST', `/api/v1/namespaces/${ns}/events`, event, 'application/json');
  if (r.status !== 201 && r.status !== 200) throw new Error(`edge POST event answered ${r.status}: ${r.body}`);
}
