// The bench's side of the Kubernetes API: a keep-alive HTTPS client with the admin kubeconfig, the
// objects the cloudhub benchmark writes (a namespace, one pod per hollow node, one shared configmap),
// and the CA carry-over that lets a rerun reuse cached node certificates.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { kubeconfigCredentials } from '../test/harness/cloudcore.js';

export interface KubeApi {
  call(method: string, path: string, body?: unknown, contentType?: string): Promise<{ status: number; text: string }>;
  must(method: string, path: string, body: unknown, ok: number[], contentType?: string): Promise<any>;
  close(): void;
}

export function kubeApi(kubeconfig: string, url: string, maxSockets = 32): KubeApi {
  const tls = kubeconfigCredentials(kubeconfig);
  const agent = new Agent({ keepAlive: true, maxSockets, ca: tls.ca, ...(tls.cert ? { cert: tls.cert, key: tls.key } : {}) });
  const call: KubeApi['call'] = (method, path, body, contentType = 'application/json') => new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(`${url}${path}`, {
      method, agent, timeout: 60_000,
      headers: { accept: 'application/json', ...tls.headers, ...(data ? { 'content-type': contentType, 'content-length': String(Buffer.byteLength(data)) } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.end(data);
  });
  const must: KubeApi['must'] = async (method, path, body, ok, contentType) => {
    const r = await call(method, path, body, contentType);
    if (!ok.includes(r.status)) throw new Error(`${method} ${path}: ${r.status} ${r.text.slice(0, 300)}`);
    return r.text === '' ? undefined : JSON.parse(r.text);
  };
  return { call, must, close: () => agent.destroy() };
}

export const BENCH_NAMESPACE = 'bench-cloudhub';
export const SHARED_CONFIGMAP = 'bench-shared';

/** A pod bound to `node` that references the shared configmap, so the configmap goes to every node. */
export function benchPod(node: string): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `pod-${node}`, namespace: BENCH_NAMESPACE, labels: { app: 'hollow', round: '0' } },
    spec: {
      nodeName: node,
      containers: [{ name: 'app', image: 'registry.local/app:1.0', envFrom: [{ configMapRef: { name: SHARED_CONFIGMAP } }] }],
      tolerations: [{ operator: 'Exists' }],
    },
  };
}

export function sharedConfigMap(round: number): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: SHARED_CONFIGMAP, namespace: BENCH_NAMESPACE }, data: { round: String(round) } };
}

const CA_SECRET = '/api/v1/namespaces/kubeedge/secrets/casecret';

/**
 * Makes the cloudcore CA the same across bench runs so cached node certificates stay valid. First run:
 * saves kubeedge/casecret's data under `cacheRoot`. Later runs: writes the saved data back and
 * deletes the token and serving-cert Secrets made from the fresh CA; the caller then restarts
 * cloudcore, which loads the CA from the Secret (as a second cloudcore would) and reissues the rest.
 * Returns true when a restart is needed.
 */
export async function carryOverCA(api: KubeApi, cacheRoot: string): Promise<boolean> {
  const file = join(cacheRoot, 'ca-secret.json');
  const live = (await api.must('GET', CA_SECRET, undefined, [200])) as { data: Record<string, string>; metadata: Record<string, unknown> };
  if (!existsSync(file)) {
    mkdirSync(cacheRoot, { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify(live.data), { mode: 0o600 });
    return false;
  }
  const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  if (JSON.stringify(saved) === JSON.stringify(live.data)) return false;
  await api.must('PUT', CA_SECRET, { apiVersion: 'v1', kind: 'Secret', metadata: live.metadata, data: saved }, [200]);
  for (const name of ['tokensecret', 'cloudcoresecret']) {
    await api.must('DELETE', `/api/v1/namespaces/kubeedge/secrets/${name}`, undefined, [200, 202, 404]);
  }
  return true;
}
