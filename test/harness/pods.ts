// Pods on a real edge node for end-to-end tests: an edge environment on either runtime (a test
// containerd with imported images, or the process runtime), and small readers of pod state through
// kubectl.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudcoreProcess } from './cloudcore.js';
import { startContainerd, type Containerd } from './containerd.js';
import { eventually, joinToken, startEdgecore, waitNodeReady, type EdgecoreOptions, type EdgecoreProcess } from './edgecore.js';
import { buildTestImages, importImages } from './images.js';
import { kubectl, kubectlOk } from './kubectl.js';

export type RuntimeKind = 'cri' | 'process';

/** The app image every flow uses: busybox, imported into containerd or named in the process catalog. */
export const BUSYBOX = 'kubeedge-ts.local/busybox:1.36';

export interface EdgeEnv {
  runtime: RuntimeKind;
  edge: EdgecoreProcess;
  /** Set for runtime 'cri'. */
  containerd?: Containerd;
  dispose(): Promise<void>;
}

/**
 * Starts containerd (cri) and an edgecore joined to `cc`. For the process runtime the image catalog names
 * only BUSYBOX, so other images fail to "pull" as they would from a registry.
 */
export async function startEdgeEnv(cc: CloudcoreProcess, runtime: RuntimeKind, nodeName: string,
  extra: Partial<EdgecoreOptions> = {}): Promise<EdgeEnv> {
  let containerd: Containerd | undefined;
  const opts: Partial<EdgecoreOptions> = { ...extra, runtime };
  if (runtime === 'cri') {
    containerd = await startContainerd();
    await importImages(containerd, await buildTestImages());
    opts.criEndpoint = containerd.endpoint;
  }
  const token = await joinToken(cc);
  const ownDir = runtime === 'process' ? processDataDir(nodeName) : undefined;
  const edge = await startEdgecore(cc, { nodeName, token, ...opts, ...(ownDir ? { dataDir: ownDir } : {}) });
  const removeOwnDir = (): void => { if (ownDir) rmSync(ownDir, { recursive: true, force: true }); };
  try {
    await waitNodeReady(cc, edge);
  } catch (err) {
    await edge.dispose();
    await containerd?.stop();
    removeOwnDir();
    throw err;
  }
  return {
    runtime, edge, ...(containerd ? { containerd } : {}),
    dispose: async () => { await edge.dispose(); await containerd?.stop(); removeOwnDir(); },
  };
}

/** A data dir with a process-runtime catalog that knows only BUSYBOX. */
function processDataDir(nodeName: string): string {
  const dir = join('/tmp', `kets-edge-${nodeName}-${process.pid}-${Date.now().toString(36)}`);
  mkdirSync(join(dir, 'process-runtime'), { recursive: true });
  writeFileSync(join(dir, 'process-runtime', 'images.json'), JSON.stringify({ [BUSYBOX]: {} }));
  return dir;
}

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function getPod(cc: CloudcoreProcess, name: string, ns = 'default'): Promise<Json | undefined> {
  const r = await kubectl(cc.kubeconfig, ['get', 'pod', name, '-n', ns, '-o', 'json']);
  return r.code === 0 ? (JSON.parse(r.stdout) as Json) : undefined;
}

export async function listPods(cc: CloudcoreProcess, selector: string, ns = 'default'): Promise<Json[]> {
  const out = await kubectlOk(cc.kubeconfig, ['get', 'pods', '-n', ns, '-l', selector, '-o', 'json']);
  return (JSON.parse(out) as { items: Json[] }).items;
}

export function containerStatus(pod: Json | undefined, container?: string): Json | undefined {
  const all = (pod?.status?.containerStatuses ?? []) as Json[];
  return container ? all.find((c) => c.name === container) : all[0];
}

export const isRunningReady = (pod: Json | undefined): boolean =>
  pod?.status?.phase === 'Running' && ((pod.status.containerStatuses ?? []) as Json[]).every((c) => c.ready === true && c.state?.running);

export async function applyYaml(cc: CloudcoreProcess, yaml: string): Promise<void> {
  await kubectlOk(cc.kubeconfig, ['apply', '-f', '-'], { input: yaml });
}

export async function waitPod(cc: CloudcoreProcess, edge: EdgecoreProcess, name: string, what: string,
  check: (pod: Json) => boolean, timeoutMs = 60_000): Promise<Json> {
  return eventually(async () => {
    const pod = await getPod(cc, name);
    return pod && check(pod) ? pod : undefined;
  }, `pod ${name}: ${what}`, {
    timeoutMs,
    describe: () => `--- edgecore logs ---\n${edge.logs().slice(-6000)}`,
  });
}

export async function podEvents(cc: CloudcoreProcess, name: string, ns = 'default'): Promise<Json[]> {
  const out = await kubectlOk(cc.kubeconfig, ['get', 'events', '-n', ns, '--field-selector', `involvedObject.name=${name}`, '-o', 'json']);
  return (JSON.parse(out) as { items: Json[] }).items;
}

/** A single-container busybox pod manifest bound to the node. */
export function busyboxPod(name: string, node: string, script: string, extra: { spec?: Json; container?: Json; labels?: Record<string, string> } = {}): string {
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { e2e: name, ...extra.labels } },
    spec: {
      nodeName: node, terminationGracePeriodSeconds: 5,
      containers: [{ name: 'main', image: BUSYBOX, command: ['sh', '-c', script], ...extra.container }],
      ...extra.spec,
    },
  });
}
