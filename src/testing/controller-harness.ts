// Test set-up for the controllers: the real object API over an in-memory SQLite store, a fake clock
// shared by the API and the controllers, builders for nodes and pods, and a polling waitFor.
// There is no kubelet in unit tests: tests make pods Running/Ready with setPodReady.
import type { KubeObject } from '../api/index.js';
import { createSilentLogger, type Logger } from '../core/log/index.js';
import { startControllers, type RunningControllers, type StartControllersDeps } from '../controlplane/controllers/index.js';
import { createObjectAPI, type ObjectAPIService, type ResourceRef } from '../controlplane/objects/index.js';
import { Catalog } from '../controlplane/registry/index.js';
import { openStore, type Store } from '../controlplane/storage/index.js';

export { builtinRefs as testRefs } from '../controlplane/objects/index.js';
import { builtinRefs as testRefs } from '../controlplane/objects/index.js';

export interface NodeOptions {
  ready?: 'True' | 'False' | 'Unknown' | 'missing';
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  allocatable?: Record<string, string>;
  unschedulable?: boolean;
}

export interface ControllerHarness {
  api: ObjectAPIService;
  store: Store;
  log: Logger;
  now(): Date;
  /** Moves the shared fake clock forward. */
  advance(ms: number): void;
  start(controllers: string[], extra?: Partial<StartControllersDeps>): Promise<RunningControllers>;
  createNode(name: string, options?: NodeOptions): KubeObject;
  /** Marks a pod Running with Ready (and ContainersReady) True or False at the current fake time. */
  setPodReady(namespace: string, name: string, ready?: boolean): KubeObject;
  /** A stand-in kubelet: every `intervalMs` it makes one not-ready pod Running and Ready (only bound
   *  pods when `boundOnly`) and confirms the deletion of terminating pods, then calls `onTick`. */
  startKubelet(options?: { boundOnly?: boolean; intervalMs?: number; onTick?: () => void }): { stop(): void };
  list(ref: ResourceRef, namespace?: string, labelSelector?: string): KubeObject[];
  tryGet(ref: ResourceRef, namespace: string, name: string): KubeObject | undefined;
  close(): Promise<void>;
}

export function makeControllerHarness(options: { namespaces?: string[]; log?: Logger } = {}): ControllerHarness {
  const store = openStore({ path: ':memory:' });
  let clock = Date.parse('2024-05-01T10:00:00Z');
  const now = (): Date => new Date(clock);
  const api = createObjectAPI({ store, catalog: new Catalog(), now });
  const log = options.log ?? createSilentLogger();
  for (const name of options.namespaces ?? ['default', 'kube-node-lease']) {
    if (!store.get('namespaces', '', name)) api.create(testRefs.namespaces, '', { metadata: { name } });
  }
  const running: RunningControllers[] = [];
  const kubelets: NodeJS.Timeout[] = [];
  const tryGet = (ref: ResourceRef, namespace: string, name: string): KubeObject | undefined => {
    try {
      return api.get(ref, namespace, name);
    } catch {
      return undefined;
    }
  };
  const setPodReady = (namespace: string, name: string, ready = true): KubeObject => {
    const pod = api.get(testRefs.pods, namespace, name);
    const t = now().toISOString();
    const cond = (type: string): Record<string, unknown> => ({ type, status: ready ? 'True' : 'False', lastTransitionTime: t });
    const status = { ...(pod.status as Record<string, unknown>), phase: 'Running',
      conditions: [cond('Initialized'), cond('Ready'), cond('ContainersReady'), { type: 'PodScheduled', status: 'True', lastTransitionTime: t }] };
    return api.update(testRefs.pods, namespace, name, { ...pod, status }, {}, 'status');
  };
  return {
    api, store, log, now, tryGet,
    advance: (ms) => { clock += ms; },
    async start(controllers, extra = {}) {
      const r = startControllers({
        api, log, now, enabled: controllers, resyncMs: 50, retryDelayMs: 1, maxRetryDelayMs: 50,
        nodeMonitorPeriodMs: 10, namespaceRecheckMs: 10, ...extra,
      }, new AbortController().signal);
      running.push(r);
      await r.ready;
      return r;
    },
    createNode: (name, o = {}) => createNode(api, now, name, o),
    setPodReady,
    startKubelet(o = {}) {
      const tick = (): void => {
        for (const p of store.list('pods').items) {
          if (!p.metadata.deletionTimestamp) continue;
          try { api.delete(testRefs.pods, p.metadata.namespace ?? '', p.metadata.name ?? '', { gracePeriodSeconds: 0 }); } catch { /* gone */ }
        }
        const next = store.list('pods').items.find((p) => !isReady(p) && !p.metadata.deletionTimestamp &&
          (!o.boundOnly || Boolean((p.spec as { nodeName?: string } | undefined)?.nodeName)));
        if (next) setPodReady(next.metadata.namespace ?? '', next.metadata.name ?? '');
        o.onTick?.();
      };
      const timer = setInterval(tick, o.intervalMs ?? 3);
      kubelets.push(timer);
      return { stop: () => clearInterval(timer) };
    },
    list: (ref, namespace, labelSelector) =>
      api.list(ref, { ...(namespace ? { namespace } : {}), ...(labelSelector ? { labelSelector } : {}) }).items,
    async close() {
      for (const t of kubelets) clearInterval(t);
      for (const r of running) await r.stop();
      api.close();
      store.close();
    },
  };
}

function isReady(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

function createNode(api: ObjectAPIService, now: () => Date, name: string, o: NodeOptions): KubeObject {
  const spec: Record<string, unknown> = {};
  if (o.taints) spec.taints = o.taints;
  if (o.unschedulable) spec.unschedulable = true;
  const created = api.create(testRefs.nodes, '', {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(o.labels ?? {}) }, ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec,
  });
  const t = now().toISOString();
  const conditions = o.ready === 'missing' ? [] : [{
    type: 'Ready', status: o.ready ?? 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status',
    lastHeartbeatTime: t, lastTransitionTime: t,
  }];
  const allocatable = o.allocatable ?? { cpu: '4', memory: '8Gi', pods: '110' };
  return api.update(testRefs.nodes, '', name, { ...created, status: { conditions, allocatable, capacity: allocatable } }, {}, 'status');
}

/** Polls fn until it returns a truthy value (default timeout 5 s, 5 ms steps). */
export async function waitFor<T>(fn: () => T | undefined | null | false, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = fn();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
