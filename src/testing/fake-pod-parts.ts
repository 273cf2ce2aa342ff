// Fakes for edged's pod manager tests: PodParts with small, predictable behaviour (env from
// configMapKeyRef, configMap volumes that fail when the configmap is missing, a prober the test
// drives, a fast back-off), and an in-memory PodStore.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestLogger, type Message } from '../core/index.js';
import type { AuthConfig, ContainerConfig, KeyValue, Mount, PodSandboxConfig } from '../edge/runtime/index.js';
import { PodConfigError, PodManager, type PodManagerDeps } from '../edge/edged/index.js';
import { FakeContainerRuntime } from './fake-container-runtime.js';

// The part contracts, reached through what edged's index exports (tests reach edge only through it).
type Parts = PodManagerDeps['parts'];
type Json = Record<string, unknown>;
type VolumeManager = ReturnType<Parts['createVolumeManager']>;
type ProberManager = ReturnType<Parts['createProberManager']>;
type Backoff = ReturnType<Parts['createBackoff']>;
type ObjectSource = Parameters<Parts['createVolumeManager']>[0]['source'];
type Pod = Parameters<Parts['computePodStatus']>[0]['pod'];
type PodDirs = ReturnType<Parts['podDirs']>;
type ProbeResultListener = Parameters<Parts['createProberManager']>[0]['onChange'];
type ProbeTarget = Parameters<ProberManager['add']>[0];
type ProbeKind = Parameters<ProberManager['result']>[1];
type ProbeResult = ReturnType<ProberManager['result']>;

export class FakeProber implements ProberManager {
  readonly targets = new Map<string, ProbeTarget>();
  readonly results = new Map<string, ProbeResult>();
  constructor(readonly onChange: ProbeResultListener, readonly onFailure?: ProbeResultListener) {}
  add(target: ProbeTarget): void { this.targets.set(target.containerId, target); }
  remove(podUid: string, containerId?: string): void {
    for (const [id, t] of this.targets) if (t.pod.metadata.uid === podUid && (containerId === undefined || id === containerId)) this.targets.delete(id);
  }
  result(containerId: string, kind: ProbeKind): ProbeResult {
    return this.results.get(`${containerId}/${kind}`) ?? (kind === 'readiness' ? 'failure' : 'success');
  }
  stop(): void { this.targets.clear(); }
  /** What a probe worker would report. */
  set(containerId: string, kind: ProbeKind, result: ProbeResult, message = ''): void {
    const t = this.targets.get(containerId);
    this.results.set(`${containerId}/${kind}`, result);
    if (t === undefined) return;
    const change = { podUid: t.pod.metadata.uid, containerName: t.container.name, containerId, kind, result, message };
    // A real worker reports each failed attempt, then the result once the threshold is crossed.
    if (result === 'failure') this.onFailure?.(change);
    this.onChange(change);
  }
}

export class FakeBackoff implements Backoff {
  readonly #entries = new Map<string, { delay: number; at: number }>();
  constructor(readonly initialMs = 40, readonly maxMs = 400) {}
  remaining(key: string, now: number): number {
    const e = this.#entries.get(key);
    return e === undefined ? 0 : Math.max(0, e.at + e.delay - now);
  }
  next(key: string, now: number): void {
    const e = this.#entries.get(key);
    this.#entries.set(key, { delay: e === undefined ? this.initialMs : Math.min(this.maxMs, e.delay * 2), at: now });
  }
  reset(key: string): void { this.#entries.delete(key); }
  gc(): void {}
}

export class FakeVolumes implements VolumeManager {
  readonly setUps: string[] = [];
  readonly tornDown: string[] = [];
  constructor(readonly source: ObjectSource) {}
  async setUp(pod: Pod): Promise<Map<string, string>> {
    this.setUps.push(pod.metadata.uid);
    const out = new Map<string, string>();
    for (const v of volumesOf(pod)) {
      const cm = v['configMap'] as Json | undefined;
      if (cm !== undefined && (await this.source.configMap(pod.metadata.namespace, String(cm['name']))) === undefined) {
        throw new PodConfigError('FailedMount', `MountVolume.SetUp failed for volume "${String(v['name'])}" : configmap "${String(cm['name'])}" not found`);
      }
      out.set(String(v['name']), `/fake/${String(v['name'])}`);
    }
    return out;
  }
  uses(pod: Pod, type: 'configmap' | 'secret', _ns: string, name: string): boolean {
    return type === 'configmap' && volumesOf(pod).some((v) => (v['configMap'] as Json | undefined)?.['name'] === name);
  }
  async tearDown(uid: string): Promise<void> { this.tornDown.push(uid); }
}

const volumesOf = (pod: Pod): Json[] => (Array.isArray(pod.spec['volumes']) ? (pod.spec['volumes'] as Json[]) : []);

export interface FakeParts {
  prober?: FakeProber;
  volumes?: FakeVolumes;
  backoff: FakeBackoff;
}

/**
 * PodParts made of fakes, without computePodStatus/sameStatus (tests add podstatus/'s real ones);
 * `made` exposes the prober and volume manager the pod manager created.
 */
export function fakePodParts(made: FakeParts = { backoff: new FakeBackoff() }) {
  return {
    resolveEnv: async ({ pod, container, source }: { pod: Pod; container: Json; source: ObjectSource }): Promise<KeyValue[]> => {
      const env = Array.isArray(container['env']) ? (container['env'] as Json[]) : [];
      const out: KeyValue[] = [];
      for (const e of env) {
        const ref = ((e['valueFrom'] as Json | undefined)?.['configMapKeyRef']) as Json | undefined;
        if (ref === undefined) { out.push({ key: String(e['name']), value: String(e['value'] ?? '') }); continue; }
        const cm = await source.configMap(pod.metadata.namespace, String(ref['name']));
        if (cm === undefined) throw new PodConfigError('CreateContainerConfigError', `configmap "${String(ref['name'])}" not found`);
        out.push({ key: String(e['name']), value: String((cm['data'] as Json | undefined)?.[String(ref['key'])] ?? '') });
      }
      return out;
    },
    expandCommand: (c: Json) => ({ command: (c['command'] as string[] | undefined) ?? [], args: (c['args'] as string[] | undefined) ?? [] }),
    createVolumeManager: ({ source }: { source: ObjectSource }) => (made.volumes = new FakeVolumes(source)),
    containerMounts: () => [],
    buildSandboxConfig: ({ pod, dirs, attempt }: { pod: Pod; dirs: PodDirs; attempt: number }): PodSandboxConfig => ({
      metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid, attempt },
      hostname: pod.spec['hostNetwork'] === true ? '' : pod.metadata.name,
      logDirectory: dirs.podLogDir(pod),
      portMappings: [], labels: {}, annotations: {},
      linux: { hostNetwork: pod.spec['hostNetwork'] === true },
    }),
    buildContainerConfig: ({ container, image, env, mounts, attempt }: { container: Json & { name: string }; image: string; env: KeyValue[]; mounts: Mount[]; attempt: number }): ContainerConfig => ({
      metadata: { name: container.name, attempt }, image, command: (container['command'] as string[] | undefined) ?? [], args: [],
      workingDir: '', envs: env, mounts, labels: {}, annotations: {}, logPath: `${container.name}/${attempt}.log`,
      stdin: false, stdinOnce: false, tty: false, linux: {},
    }),
    containerSpecHash: (c: Json) => createHash('sha256').update(JSON.stringify(c)).digest('hex').slice(0, 8),
    podDirs: (dataDir: string): PodDirs => ({
      podDir: (uid) => path.join(dataDir, 'pods', uid),
      podLogDir: (pod) => path.join(dataDir, 'logs', 'pods', `${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`),
    }),
    imagePullAuth: (_pod: Pod, secrets: Json[]): AuthConfig[] => secrets.map(() => ({ username: 'u', password: 'p' })),
    validateImageName: (image: string) => (/[A-Z\s]/.test(image) ? 'invalid reference format' : undefined),
    runProbe: async (): Promise<{ result: ProbeResult; message: string }> => ({ result: 'success', message: '' }),
    createProberManager: ({ onChange, onFailure }: { onChange: ProbeResultListener; onFailure?: ProbeResultListener }) =>
      (made.prober = new FakeProber(onChange, onFailure)),
    createBackoff: () => made.backoff,
  };
}

type Listener = (c: { op: 'upsert' | 'delete'; type: string; namespace: string | null; name: string; object: Record<string, unknown> }) => void;

/** metamanager's store as the pod manager sees it; `remote` answers queries when `connected`. */
export class FakePodStore {
  readonly objects = new Map<string, Record<string, unknown>>();
  readonly remote = new Map<string, Record<string, unknown>>();
  readonly #listeners = new Set<Listener>();
  connected = true;

  put(type: string, obj: Record<string, unknown>): void {
    const m = obj['metadata'] as { namespace?: string; name: string };
    this.objects.set(`${type}/${m.namespace ?? ''}/${m.name}`, obj);
    for (const l of this.#listeners) l({ op: 'upsert', type, namespace: m.namespace ?? null, name: m.name, object: obj });
  }
  delete(type: string, namespace: string, name: string): void {
    const obj = this.objects.get(`${type}/${namespace}/${name}`) ?? {};
    this.objects.delete(`${type}/${namespace}/${name}`);
    for (const l of this.#listeners) l({ op: 'delete', type, namespace, name, object: obj });
  }
  list(type: string): Record<string, unknown>[] {
    return [...this.objects].filter(([k]) => k.startsWith(`${type}/`)).map(([, v]) => v);
  }
  get(type: string, namespace: string | null, name: string): Record<string, unknown> | undefined {
    return this.objects.get(`${type}/${namespace ?? ''}/${name}`);
  }
  async query(type: string, namespace: string | null, name: string): Promise<Record<string, unknown>> {
    const local = this.get(type, namespace, name);
    if (local !== undefined) return local;
    const remote = this.connected ? this.remote.get(`${type}/${namespace ?? ''}/${name}`) : undefined;
    if (remote !== undefined) return remote;
    const err = new Error(`${namespace}/${type}/${name} not found`);
    err.name = this.connected ? 'MetaNotFoundError' : 'RemoteQueryError';
    throw err;
  }
  onChange(l: Listener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }
}

// ---- a pod manager on fakes, for edged/pods tests -------------------------------------------------

export const TEST_NODE = 'edge-1';

export interface PodTestbed {
  mgr: PodManager;
  runtime: FakeContainerRuntime;
  store: FakePodStore;
  messages: Message[];
  made: FakeParts;
  /** Every status the manager computed, in order (from onStatusChange). */
  seen: Json[];
  dataDir: string;
  /** Stops the manager and removes the data dir it created. */
  dispose(): Promise<void>;
}

export interface PodTestbedOptions {
  runtime?: FakeContainerRuntime;
  store?: FakePodStore;
  /** Crash-loop / pull back-off start (ms); default 40. */
  backoffMs?: number;
  /** Reuse a data dir (a restarted edgecore); not removed by dispose. */
  dataDir?: string;
  /** Real parts to use instead of fakes (podstatus's computePodStatus and sameStatus are required). */
  parts: Pick<Parts, 'computePodStatus' | 'sameStatus'> & Partial<Parts>;
  deps?: Partial<PodManagerDeps>;
}

export function podTestbed(opts: PodTestbedOptions): PodTestbed {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'pods-'));
  const runtime = opts.runtime ?? new FakeContainerRuntime();
  const store = opts.store ?? new FakePodStore();
  const messages: Message[] = [];
  const made: FakeParts = { backoff: new FakeBackoff(opts.backoffMs ?? 40, 400) };
  const mgr = new PodManager({
    nodeName: TEST_NODE,
    runtime,
    store,
    hub: { enqueue: (m) => void messages.push(m) },
    log: createTestLogger({ level: 'warn' }),
    dataDir,
    node: () => ({ nodeName: TEST_NODE, nodeIP: '192.168.1.10', allocatable: { cpu: 2, memory: 4e9 } }),
    parts: { ...fakePodParts(made), ...opts.parts },
    relistMs: 10,
    eventQPS: 0,
    resyncMs: 150,
    ...opts.deps,
  });
  const seen: Json[] = [];
  mgr.onStatusChange((ns, name) => {
    const s = mgr.podStatus(ns, name);
    if (s !== undefined) seen.push(structuredClone(s));
  });
  const dispose = async (): Promise<void> => {
    await mgr.stop();
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  };
  return { mgr, runtime, store, messages, made, seen, dataDir, dispose };
}

export function testPod(name: string, spec: Json = {}, meta: Json = {}): Json {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...meta },
    spec: { nodeName: TEST_NODE, containers: [{ name: 'app', image: 'busybox:1.36' }], ...spec },
  };
}

/** Polls until fn returns a value (not undefined/false); throws after timeoutMs. */
export async function waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = 4000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const statusMessages = (b: PodTestbed): { UID: string; Name: string; Status: Json }[] =>
  b.messages.filter((m) => m.route.resource.includes('/podstatus/')).map((m) => m.content as { UID: string; Name: string; Status: Json });
export const eventsSent = (b: PodTestbed): Json[] =>
  b.messages.filter((m) => m.route.resource.includes('/event/')).map((m) => m.content as Json);
export const containerStatusOf = (s: Json | undefined, name = 'app'): Json | undefined =>
  (s?.['containerStatuses'] as Json[] | undefined)?.find((c) => c['name'] === name);
export const containerStateOf = (s: Json | undefined, name = 'app'): Json => (containerStatusOf(s, name)?.['state'] ?? {}) as Json;
