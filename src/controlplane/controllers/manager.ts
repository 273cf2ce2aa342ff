// Starts the embedded control plane's controllers over one shared set of informers.
import { setMaxListeners } from 'node:events';
import type { ObjectAPI } from '../objects/index.js';
import { DaemonSetController } from './daemonset.js';
import { DeploymentController } from './deployment.js';
import { GarbageCollector } from './garbage-collector.js';
import { InformerFactory } from './informer-factory.js';
import { NamespaceController } from './namespace.js';
import { NodeLifecycleController } from './node-lifecycle.js';
import { PodGarbageCollector } from './pod-gc.js';
import { ReplicaSetController } from './replicaset.js';
import { Scheduler } from './scheduler.js';
import { StatefulSetController } from './statefulset.js';
import type { Controller, ControllerDeps, Logger } from './types.js';

export const controllerNames = [
  'scheduler', 'replicaset', 'deployment', 'daemonset', 'statefulset', 'nodelifecycle', 'podgc',
  'garbagecollector', 'namespace',
] as const;
export type ControllerName = (typeof controllerNames)[number];

export interface StartControllersDeps {
  api: ObjectAPI;
  log: Logger;
  now?: () => Date;
  /** A node is lost after this long without heartbeat or lease renewal (default 40 s). */
  nodeMonitorGracePeriodMs?: number;
  /** Pods on a lost node that do not tolerate it are evicted after this long (default 300 s). */
  podEvictionTimeoutMs?: number;
  /** How often node health is checked (default 5 s). */
  nodeMonitorPeriodMs?: number;
  /** Controllers to run (default: all of controllerNames). */
  enabled?: string[];
  /** Periodic full re-queue of each controller's objects (default 30 s). */
  resyncMs?: number;
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Namespace deletion: how soon to look again while objects remain (default 1 s). */
  namespaceRecheckMs?: number;
  /** Pod GC: how long a node must be missing before its pods are removed (default 40 s). */
  podGcQuarantineMs?: number;
}

export interface RunningControllers {
  /** Stops every controller and waits for in-flight reconciles. */
  stop(): Promise<void>;
  /** Resolves once every controller has synced its caches (or the controllers were stopped). */
  ready: Promise<void>;
  readonly controllers: readonly Controller[];
}

type Builder = (deps: ControllerDeps, d: StartControllersDeps) => Controller;

const builders: Record<ControllerName, Builder> = {
  scheduler: (c) => new Scheduler(c),
  replicaset: (c) => new ReplicaSetController(c),
  deployment: (c) => new DeploymentController(c),
  daemonset: (c) => new DaemonSetController(c),
  statefulset: (c) => new StatefulSetController(c),
  nodelifecycle: (c, d) => new NodeLifecycleController({
    ...c,
    ...(d.nodeMonitorGracePeriodMs !== undefined ? { nodeMonitorGracePeriodMs: d.nodeMonitorGracePeriodMs } : {}),
    ...(d.podEvictionTimeoutMs !== undefined ? { podEvictionTimeoutMs: d.podEvictionTimeoutMs } : {}),
    ...(d.nodeMonitorPeriodMs !== undefined ? { nodeMonitorPeriodMs: d.nodeMonitorPeriodMs } : {}),
  }),
  podgc: (c, d) => new PodGarbageCollector({ ...c, ...(d.podGcQuarantineMs !== undefined ? { quarantineMs: d.podGcQuarantineMs } : {}) }),
  garbagecollector: (c) => new GarbageCollector(c),
  namespace: (c, d) => new NamespaceController({ ...c, ...(d.namespaceRecheckMs !== undefined ? { recheckMs: d.namespaceRecheckMs } : {}) }),
};

export function startControllers(deps: StartControllersDeps, signal: AbortSignal): RunningControllers {
  const enabled = new Set(deps.enabled ?? controllerNames);
  const unknown = [...enabled].filter((n) => !(controllerNames as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`unknown controllers: ${unknown.join(', ')} (known: ${controllerNames.join(', ')})`);
  const inner = new AbortController();
  // Every informer, queue and resync timer listens on this one signal: well over the default of 10.
  setMaxListeners(0, inner.signal);
  const abort = (): void => inner.abort();
  if (signal.aborted) inner.abort();
  else signal.addEventListener('abort', abort, { once: true });
  const informers = new InformerFactory({ api: deps.api, log: deps.log.child('informers') });
  const common: ControllerDeps = {
    api: deps.api, log: deps.log, informers,
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.resyncMs !== undefined ? { resyncMs: deps.resyncMs } : {}),
    ...(deps.retryDelayMs !== undefined ? { retryDelayMs: deps.retryDelayMs } : {}),
    ...(deps.maxRetryDelayMs !== undefined ? { maxRetryDelayMs: deps.maxRetryDelayMs } : {}),
  };
  const controllers = controllerNames.filter((n) => enabled.has(n)).map((n) => builders[n](common, deps));
  informers.start(inner.signal);
  for (const c of controllers) c.start(inner.signal);
  const stopped = inner.signal.aborted ? Promise.resolve()
    : new Promise<void>((resolve) => inner.signal.addEventListener('abort', () => resolve(), { once: true }));
  const ready = Promise.race([Promise.all(controllers.map((c) => c.ready)).then(() => undefined), stopped]);
  return {
    controllers,
    ready,
    async stop(): Promise<void> {
      signal.removeEventListener('abort', abort);
      inner.abort();
      await Promise.all(controllers.map((c) => c.stopped()));
    },
  };
}
