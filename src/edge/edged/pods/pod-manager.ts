// edged's pod lifecycle (kubelet's sync loop): pods from metamanager (and static manifests) run on a
// container runtime, one serialized worker per pod, synced on spec changes, runtime changes (relist),
// probe results, back-off expiry and a periodic resync; status and events go upstream through the hub.
import type { Logger } from '../../../core/index.js';
import { ContainerNotFoundError, type ContainerLocation, type ContainerLocator, type Pod, type ProbeResultListener } from '../pod-contracts.js';
import { computeStatus } from './build-status.js';
import { EventRecorder } from './events.js';
import { ImagePuller } from './image-puller.js';
import { killPod } from './kill-pod.js';
import { locateContainer } from './locate.js';
import { createObjectSource } from './object-source.js';
import { podKey } from './pod-fields.js';
import { PodSources } from './pod-sources.js';
import { PodWorkers } from './pod-workers.js';
import { removeOrphans } from './reconcile.js';
import { Relister } from './relist.js';
import { errorText, isUnavailable, RuntimeStateCache } from './runtime-state.js';
import { StatusReporter } from './status-reporter.js';
import { newPodState, type PodState, type SyncContext } from './sync-context.js';
import { syncPod } from './sync-pod.js';
import type { PodManagerDeps } from './types.js';

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;

export class PodManager implements ContainerLocator {
  readonly #deps: PodManagerDeps;
  readonly #log: Logger;
  readonly #ctx: SyncContext;
  readonly #states = new Map<string, PodState>();
  readonly #byKey = new Map<string, string>();
  readonly #failures = new Map<string, number>();
  readonly #workers: PodWorkers;
  readonly #reporter: StatusReporter;
  readonly #relister: Relister;
  readonly #sources: PodSources;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #phase: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  #relistFailing = false;

  constructor(deps: PodManagerDeps) {
    this.#deps = deps;
    this.#log = deps.log;
    const now = deps.now ?? Date.now;
    const parts = deps.parts;
    const dirs = parts.podDirs(deps.dataDir);
    const source = createObjectSource(deps.store);
    const isLocalOnly = (pod: Pod): boolean => this.#states.get(pod.metadata.uid)?.isStatic === true;
    this.#workers = new PodWorkers((uid) => this.#sync(uid), now);
    this.#reporter = new StatusReporter({ hub: deps.hub, log: deps.log, now, sameStatus: parts.sameStatus, isLocalOnly });
    this.#ctx = {
      nodeName: deps.nodeName,
      runtime: deps.runtime,
      parts,
      dirs,
      source,
      volumes: parts.createVolumeManager({ dirs, source, node: deps.node() }),
      prober: parts.createProberManager({ runtime: deps.runtime.runtime, onChange: this.#onProbe, onFailure: this.#onProbeFailure, now }),
      backoff: parts.createBackoff(),
      images: new ImagePuller(deps.runtime.images),
      events: new EventRecorder({ nodeName: deps.nodeName, hub: deps.hub, log: deps.log, now, isLocalOnly,
        ...(deps.eventQPS === undefined ? {} : { qps: deps.eventQPS }) }),
      state: new RuntimeStateCache(deps.runtime.runtime, deps.nodeName),
      log: deps.log,
      now,
      node: deps.node,
      startedAt: now(),
      probeFailures: new Set(),
      wake: (uid, at) => this.#workers.wake(uid, at),
    };
    this.#relister = new Relister(deps.runtime.runtime, deps.nodeName);
    this.#sources = new PodSources({
      nodeName: deps.nodeName,
      store: deps.store,
      log: deps.log,
      volumes: this.#ctx.volumes,
      ...(deps.staticPodPath === undefined ? {} : { staticPodPath: deps.staticPodPath }),
      states: this.#states,
      add: (pod, isStatic) => this.#add(pod, isStatic),
      remove: (uid) => this.#markRemoved(uid),
      trigger: (uid) => this.#workers.trigger(uid),
    });
  }

  /** Loads the pods of this node, removes orphans in the background, and starts every pod. */
  async start(): Promise<void> {
    if (this.#phase !== 'new') return;
    this.#phase = 'running';
    this.#ctx.startedAt = this.#ctx.now();
    await this.#sources.start();
    void this.#reconcile();
    for (const uid of this.#states.keys()) this.#workers.trigger(uid);
    void this.#relistLoop();
    this.#every(this.#deps.resyncMs ?? 10_000, () => this.#resync());
    this.#log.info('started', { pods: this.#states.size, runtime: this.#deps.runtime.kind });
  }

  /** Stops workers and timers; containers keep running unless killPods (then each pod gets its grace). */
  async stop(opts: { killPods?: boolean } = {}): Promise<void> {
    if (this.#phase !== 'running') return;
    this.#phase = 'stopping';
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#sources.stop();
    await this.#workers.stop();
    this.#ctx.prober.stop();
    if (opts.killPods === true) {
      await Promise.all([...this.#states.values()].map(async (st) => {
        try {
          await killPod(this.#ctx, st, await this.#ctx.state.load(st.uid));
        } catch (err) {
          this.#log.warn('kill pod failed', { pod: st.pod.metadata.name, error: errorText(err) });
        }
      }));
    }
    this.#reporter.flush();
    this.#ctx.events.flush();
    this.#phase = 'stopped';
    this.#log.info('stopped', { killPods: opts.killPods === true });
  }

  async locate(namespace: string, pod: string, container: string, previous: boolean): Promise<ContainerLocation> {
    const st = this.#stateOf(namespace, pod);
    if (st === undefined) throw new ContainerNotFoundError(`pod "${pod}" in namespace "${namespace}" is not on this node`);
    return locateContainer(this.#deps.runtime.runtime, this.#deps.nodeName, st.pod, container, previous, (name) => st.waiting.get(name)?.reason);
  }

  podStatus(namespace: string, name: string): Record<string, unknown> | undefined {
    const uid = this.#byKey.get(podKey(namespace, name));
    return uid === undefined ? undefined : this.#reporter.get(uid);
  }

  onStatusChange(listener: (namespace: string, name: string) => void): () => void {
    return this.#reporter.onChange(listener);
  }

  counts(): { pods: number; running: number } {
    let pods = 0;
    let running = 0;
    for (const st of this.#states.values()) {
      if (st.removed) continue;
      pods++;
      if (this.#reporter.get(st.uid)?.['phase'] === 'Running') running++;
    }
    return { pods, running };
  }

  /** Resolves when no pod sync is in flight (tests). */
  idle(): Promise<void> {
    return this.#workers.idle();
  }

  #add(pod: Pod, isStatic: boolean): void {
    const uid = pod.metadata.uid;
    const key = podKey(pod.metadata.namespace, pod.metadata.name);
    const other = this.#byKey.get(key);
    if (other !== undefined && other !== uid) this.#markRemoved(other);
    this.#byKey.set(key, uid);
    const st = this.#states.get(uid);
    if (st !== undefined) {
      const meta = (p: Pod): string => JSON.stringify([p.metadata['labels'], p.metadata['annotations'], p.spec['volumes']]);
      if (meta(st.pod) !== meta(pod)) st.volumesDirty = true;
      st.pod = pod;
    } else {
      this.#states.set(uid, newPodState(pod, isStatic));
      if (pod.status !== undefined && Object.keys(pod.status).length > 0) this.#reporter.seed(pod, pod.status);
    }
    if (this.#phase === 'running') this.#workers.trigger(uid);
  }

  #markRemoved(uid: string): void {
    const st = this.#states.get(uid);
    if (st === undefined) return;
    st.removed = true;
    const key = podKey(st.pod.metadata.namespace, st.pod.metadata.name);
    if (this.#byKey.get(key) === uid) this.#byKey.delete(key);
    this.#workers.trigger(uid);
  }

  #stateOf(namespace: string, name: string): PodState | undefined {
    const uid = this.#byKey.get(podKey(namespace, name));
    return uid === undefined ? undefined : this.#states.get(uid);
  }

  async #sync(uid: string): Promise<void> {
    const st = this.#states.get(uid);
    if (st === undefined || this.#phase !== 'running') return;
    try {
      const previous = this.#reporter.get(uid);
      const phase = previous?.['phase'];
      const outcome = await syncPod(this.#ctx, st, phase === 'Succeeded' || phase === 'Failed');
      this.#failures.delete(uid);
      if (outcome.kind === 'removed') {
        this.#forget(st);
        return;
      }
      const status = computeStatus(this.#ctx, st, outcome.rt, previous ?? st.pod.status);
      const final = outcome.kind === 'terminated' && outcome.first;
      this.#reporter.update(st.pod, status, final);
      if (final) this.#reporter.flush(uid);
    } catch (err) {
      this.#syncFailed(st, err);
    }
  }

  #syncFailed(st: PodState, err: unknown): void {
    const n = (this.#failures.get(st.uid) ?? 0) + 1;
    this.#failures.set(st.uid, n);
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (n - 1));
    const fields = { namespace: st.pod.metadata.namespace, pod: st.pod.metadata.name, attempt: n, retryMs: delay, error: errorText(err) };
    if (n === 1) {
      this.#log.warn(isUnavailable(err) ? 'runtime unavailable' : 'pod sync failed', fields);
      this.#ctx.events.record(st.pod, 'Warning', 'FailedSync', `error syncing pod: ${errorText(err)}`);
    } else {
      this.#log.debug('pod sync failed', fields);
    }
    this.#workers.wake(st.uid, this.#ctx.now() + delay);
  }

  #forget(st: PodState): void {
    this.#states.delete(st.uid);
    this.#failures.delete(st.uid);
    this.#workers.forget(st.uid);
    this.#ctx.prober.remove(st.uid);
    this.#ctx.events.forget(st.uid);
    this.#ctx.backoff.gc(this.#ctx.now());
    this.#reporter.forget(st.uid);
    this.#log.info('pod removed', { namespace: st.pod.metadata.namespace, pod: st.pod.metadata.name });
  }

  /** Every failed attempt is an Unhealthy event, as in kubelet; the recorder aggregates repeats. */
  readonly #onProbeFailure: ProbeResultListener = (change) => {
    const st = this.#states.get(change.podUid);
    if (st === undefined) return;
    const kind = change.kind[0]?.toUpperCase() + change.kind.slice(1);
    this.#ctx.events.record(st.pod, 'Warning', 'Unhealthy', `${kind} probe failed: ${change.message}`, { name: change.containerName, kind: 'regular' });
  };

  readonly #onProbe: ProbeResultListener = (change) => {
    const st = this.#states.get(change.podUid);
    if (st === undefined) return;
    const key = `${change.containerId}/${change.kind}`;
    if (change.result === 'failure') {
      if (change.kind !== 'readiness') this.#ctx.probeFailures.add(key);
    } else {
      this.#ctx.probeFailures.delete(key);
    }
    this.#workers.trigger(change.podUid);
  };

  async #reconcile(): Promise<void> {
    try {
      await removeOrphans(this.#deps.runtime.runtime, this.#deps.nodeName, (uid) => this.#states.has(uid), this.#log);
    } catch (err) {
      this.#log.warn('orphan cleanup failed', { error: errorText(err) });
      this.#after(2000, () => void this.#reconcile());
    }
  }

  async #relistLoop(): Promise<void> {
    if (this.#phase !== 'running') return;
    try {
      const changed = await this.#relister.relist();
      if (this.#relistFailing) this.#log.info('runtime available again');
      this.#relistFailing = false;
      for (const uid of changed) if (this.#states.has(uid)) this.#workers.trigger(uid);
    } catch (err) {
      if (!this.#relistFailing) this.#log.warn('relist failed', { error: errorText(err) });
      this.#relistFailing = true;
    }
    this.#after(this.#deps.relistMs ?? 1000, () => void this.#relistLoop());
  }

  #resync(): void {
    this.#ctx.backoff.gc(this.#ctx.now());
    for (const uid of this.#states.keys()) this.#workers.trigger(uid);
  }

  #after(ms: number, fn: () => void): void {
    if (this.#phase !== 'running') return;
    const t = setTimeout(() => {
      this.#timers.delete(t);
      try {
        fn();
      } catch (err) {
        this.#log.error('timer failed', { error: errorText(err) });
      }
    }, ms);
    t.unref();
    this.#timers.add(t);
  }

  #every(ms: number, fn: () => void): void {
    this.#after(ms, () => {
      fn();
      this.#every(ms, fn);
    });
  }

}
