// One probe worker: a (container instance, probe kind) pair probed on a timer, with kubelet's
// thresholds (pkg/kubelet/prober/worker.go doProbe). Pure bookkeeping: the manager owns the timers.
import type { Json, ProbeKind, ProbeResult } from '../pod-contracts.js';
import type { ProbeTiming } from './probe-spec.js';

export interface WorkerState {
  readonly kind: ProbeKind;
  readonly probe: Json;
  readonly timing: ProbeTiming;
  result: ProbeResult;
  message: string;
  /** Result of the last attempt and how many attempts in a row gave it (kubelet: lastResult, resultRun). */
  lastResult: ProbeResult | undefined;
  resultRun: number;
  timer: unknown;
  probing: boolean;
  stopped: boolean;
}

/** kubelet's initial values: not ready until proven; alive until proven dead; not started until proven. */
export function initialResult(kind: ProbeKind): ProbeResult {
  return kind === 'liveness' ? 'success' : 'failure';
}

export function newWorker(kind: ProbeKind, probe: Json, timing: ProbeTiming): WorkerState {
  return {
    kind, probe, timing, result: initialResult(kind), message: '',
    lastResult: undefined, resultRun: 0, timer: undefined, probing: false, stopped: false,
  };
}

/** What one attempt's result means for the worker: nothing, a changed result, or a restart request. */
export type Verdict = { notify: false } | { notify: true; result: ProbeResult; message: string };

/**
 * Applies one attempt. 'unknown' (a prober error) is thrown away as kubelet does. The result changes
 * only after successThreshold / failureThreshold equal attempts in a row. A liveness or startup failure
 * past the threshold is reported every time it is reached (the container must be restarted), and the
 * count starts over so a container that is not restarted is reported again after another threshold.
 */
export function applyAttempt(w: WorkerState, result: ProbeResult, message: string): Verdict {
  if (result === 'unknown') return { notify: false };
  if (w.lastResult === result) w.resultRun += 1;
  else {
    w.lastResult = result;
    w.resultRun = 1;
  }
  const threshold = result === 'failure' ? w.timing.failureThreshold : w.timing.successThreshold;
  if (w.resultRun < threshold) return { notify: false };
  const changed = w.result !== result;
  w.result = result;
  w.message = message;
  const restart = result === 'failure' && (w.kind === 'liveness' || w.kind === 'startup');
  if (restart) w.resultRun = 0;
  return changed || restart ? { notify: true, result, message } : { notify: false };
}
