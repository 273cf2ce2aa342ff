// The prober manager (kubelet: pkg/kubelet/prober/prober_manager.go): one worker per (container
// instance, probe kind). Startup gates liveness and readiness; once startup succeeds its worker stops
// and readiness is probed at once (kubelet's manual trigger). Time and timers are injected for tests.
import type { Logger } from '../../../core/index.js';
import type { RuntimeService } from '../../runtime/types.js';
import type { CreateProberManager, ProbeKind, ProbeResult, ProbeResultListener, ProbeTarget, ProberManager, RunProbe } from '../pod-contracts.js';
import { realTimers, type Timers } from '../timers.js';
import { containerProbe, probeTiming } from './probe-spec.js';
import { runProbe as defaultRunProbe } from './run-probe.js';
import { applyAttempt, newWorker, type WorkerState } from './worker.js';

export interface ProberManagerOptions {
  runtime: RuntimeService;
  onChange: ProbeResultListener;
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
  /** Default: Node's timers, unref'd. */
  timers?: Timers;
  /** Uniform [0, 1) for the first-probe jitter; default Math.random. */
  random?: () => number;
  /** Cap of the first-probe jitter; default one period (kubelet), 0 disables it. */
  maxJitterMs?: number;
  /** One attempt; default the real runProbe. */
  runProbe?: RunProbe;
  log?: Logger;
  /** Every failed attempt (kubelet records an Unhealthy event for each one, not only at the threshold). */
  onFailure?: ProbeResultListener;
}

interface Entry {
  target: ProbeTarget;
  addedAt: number;
  workers: Map<ProbeKind, WorkerState>;
}

const KINDS: readonly ProbeKind[] = ['startup', 'liveness', 'readiness'];
/** kubelet's maxProbeRetries: an attempt that errors is retried this many times before giving up. */
const MAX_PROBE_RETRIES = 3;

export const createProberManager = ((opts: ProberManagerOptions): ProberManager => {
  const now = opts.now ?? Date.now;
  const timers = opts.timers ?? realTimers;
  const random = opts.random ?? Math.random;
  const probeOnce = opts.runProbe ?? defaultRunProbe;
  const startedAt = now();
  const entries = new Map<string, Entry>();
  let stopped = false;

  const schedule = (entry: Entry, w: WorkerState, delayMs: number): void => {
    if (w.stopped) return;
    if (w.timer !== undefined) timers.clearTimeout(w.timer);
    w.timer = timers.setTimeout(() => {
      w.timer = undefined;
      void tick(entry, w);
    }, Math.max(0, delayMs));
  };

  const halt = (w: WorkerState): void => {
    w.stopped = true;
    if (w.timer !== undefined) timers.clearTimeout(w.timer);
    w.timer = undefined;
  };

  const notify = (entry: Entry, kind: ProbeKind, result: ProbeResult, message: string): void => {
    const { target } = entry;
    try {
      opts.onChange({ podUid: target.pod.metadata.uid, containerName: target.container.name, containerId: target.containerId, kind, result, message });
    } catch (err) {
      opts.log?.error('probe listener failed', { containerId: target.containerId, kind, error: String(err) });
    }
  };

  const attempt = async (entry: Entry, w: WorkerState): Promise<{ result: ProbeResult; message: string }> => {
    let outcome = { result: 'unknown' as ProbeResult, message: '' };
    for (let i = 0; i < MAX_PROBE_RETRIES && !w.stopped; i++) {
      try {
        outcome = await probeOnce(w.probe, w.kind, entry.target, opts.runtime);
      } catch (err) {
        // runProbe never throws; an injected one might, and a worker must not die of it.
        outcome = { result: 'unknown', message: String(err) };
      }
      if (outcome.result !== 'unknown') break;
    }
    return outcome;
  };

  async function tick(entry: Entry, w: WorkerState): Promise<void> {
    if (w.stopped || w.probing) return;
    const periodMs = w.timing.periodSeconds * 1000;
    const startup = entry.workers.get('startup');
    if (w.kind !== 'startup' && startup && startup.result !== 'success') {
      schedule(entry, w, periodMs); // liveness and readiness wait for the container to have started
      return;
    }
    const began = now();
    w.probing = true;
    const outcome = await attempt(entry, w);
    w.probing = false;
    if (w.stopped) return;
    if (outcome.result === 'unknown') {
      opts.log?.debug('probe errored', { containerId: entry.target.containerId, kind: w.kind, message: outcome.message });
    }
    if (outcome.result === 'failure' && opts.onFailure) {
      const { target } = entry;
      try {
        opts.onFailure({ podUid: target.pod.metadata.uid, containerName: target.container.name, containerId: target.containerId, kind: w.kind, result: 'failure', message: outcome.message });
      } catch (err) {
        opts.log?.error('probe listener failed', { containerId: target.containerId, kind: w.kind, error: String(err) });
      }
    }
    const verdict = applyAttempt(w, outcome.result, outcome.message);
    if (verdict.notify) notify(entry, w.kind, verdict.result, verdict.message);
    if (w.stopped) return; // the listener may have removed this container
    if (w.kind === 'startup' && w.result === 'success') {
      halt(w); // kubelet stops probing startup once the container has started
      const readiness = entry.workers.get('readiness');
      if (readiness) schedule(entry, readiness, 0);
      return;
    }
    schedule(entry, w, periodMs - (now() - began));
  }

  const firstDelay = (w: WorkerState, sinceContainerStart: number): number => {
    const periodMs = w.timing.periodSeconds * 1000;
    // kubelet spreads the first probes over a period only while it has just started (a restart of
    // the agent would otherwise probe every container at once).
    const cap = Math.min(opts.maxJitterMs ?? periodMs, periodMs);
    const jitter = now() - startedAt < periodMs ? random() * cap : 0;
    return Math.max(jitter, w.timing.initialDelaySeconds * 1000 - sinceContainerStart);
  };

  const start = async (entry: Entry): Promise<void> => {
    let containerStart = entry.addedAt;
    const needsStart = [...entry.workers.values()].some((w) => w.timing.initialDelaySeconds > 0);
    if (needsStart) {
      // initialDelaySeconds counts from the container's start, which may be long before add()
      // (an agent restart re-adds running containers).
      try {
        const status = await opts.runtime.containerStatus(entry.target.containerId);
        if (status.startedAt > 0) containerStart = Math.min(status.startedAt, entry.addedAt);
      } catch {
        // keep add() time
      }
    }
    const elapsed = now() - containerStart;
    for (const w of entry.workers.values()) schedule(entry, w, firstDelay(w, elapsed));
  };

  const dropEntry = (id: string, entry: Entry): void => {
    for (const w of entry.workers.values()) halt(w);
    entries.delete(id);
  };

  return {
    add(target) {
      if (stopped || entries.has(target.containerId)) return;
      const entry: Entry = { target, addedAt: now(), workers: new Map() };
      for (const kind of KINDS) {
        const probe = containerProbe(target.container, kind);
        if (probe) entry.workers.set(kind, newWorker(kind, probe, probeTiming(probe, kind)));
      }
      entries.set(target.containerId, entry);
      if (entry.workers.size > 0) void start(entry);
    },
    remove(podUid, containerId) {
      for (const [id, entry] of entries) {
        if (entry.target.pod.metadata.uid !== podUid) continue;
        if (containerId === undefined || containerId === id) dropEntry(id, entry);
      }
    },
    result(containerId, kind) {
      const entry = entries.get(containerId);
      // An unknown container is not ready yet; without a probe of a kind the container passes it.
      if (!entry) return kind === 'readiness' ? 'failure' : 'success';
      return entry.workers.get(kind)?.result ?? 'success';
    },
    stop() {
      stopped = true;
      for (const [id, entry] of entries) dropEntry(id, entry);
    },
  };
}) satisfies CreateProberManager;
