// Node conditions as kubelet sets them: MemoryPressure, DiskPressure, PIDPressure, Ready, with
// kubelet's reasons and messages. Pressure uses kubelet's default hard eviction thresholds
// (memory.available < 100Mi, nodefs.available < 10%; pid.available < 10% is ours, kubelet has no
// default for pids) and its pressure transition period (5 min): a condition that turned True stays
// True until no pressure was seen for that long, so a value hovering at a threshold cannot make the
// status (and the uplink) flap. Times are the caller's clock; no I/O here.
import type { NodeFacts } from './node-facts.js';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** v1 NodeCondition (times are RFC 3339, seconds precision, as metav1.Time marshals). */
export interface NodeCondition {
  type: string;
  status: ConditionStatus;
  lastHeartbeatTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export const MEMORY_AVAILABLE_THRESHOLD_KI = 100 * 1024;
export const STORAGE_AVAILABLE_MIN_FRACTION = 0.1;
export const PID_AVAILABLE_MIN_FRACTION = 0.1;
export const PRESSURE_TRANSITION_PERIOD_MS = 5 * 60_000;

type Pressure = 'memory' | 'disk' | 'pid';

/** Which pressures the facts show right now, before the transition period is applied. */
export function observedPressure(f: NodeFacts): Record<Pressure, boolean> {
  return {
    memory: f.memoryAvailableKi < MEMORY_AVAILABLE_THRESHOLD_KI,
    disk: f.storageTotalBytes > 0 && f.storageAvailableBytes < f.storageTotalBytes * STORAGE_AVAILABLE_MIN_FRACTION,
    pid: f.pidMax > 0 && f.pidMax - f.pidsInUse < f.pidMax * PID_AVAILABLE_MIN_FRACTION,
  };
}

const texts: Record<Pressure, { type: string; onReason: string; onMessage: string; offReason: string; offMessage: string }> = {
  memory: {
    type: 'MemoryPressure',
    onReason: 'KubeletHasInsufficientMemory', onMessage: 'kubelet has insufficient memory available',
    offReason: 'KubeletHasSufficientMemory', offMessage: 'kubelet has sufficient memory available',
  },
  disk: {
    type: 'DiskPressure',
    onReason: 'KubeletHasDiskPressure', onMessage: 'kubelet has disk pressure',
    offReason: 'KubeletHasNoDiskPressure', offMessage: 'kubelet has no disk pressure',
  },
  pid: {
    type: 'PIDPressure',
    onReason: 'KubeletHasInsufficientPID', onMessage: 'kubelet has insufficient PID available',
    offReason: 'KubeletHasSufficientPID', offMessage: 'kubelet has sufficient PID available',
  },
};

/** metav1.Time: RFC 3339 in UTC with whole seconds. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Keeps the previous conditions (for transition times) and when each pressure was last seen. */
export class ConditionTracker {
  private previous = new Map<string, NodeCondition>();
  private readonly lastPressureAt: Partial<Record<Pressure, number>> = {};

  constructor(private readonly transitionPeriodMs = PRESSURE_TRANSITION_PERIOD_MS) {}

  /** The four conditions for `facts` at `nowMs`, in kubelet's order. */
  update(facts: NodeFacts, nowMs: number): NodeCondition[] {
    const seen = observedPressure(facts);
    const out: NodeCondition[] = [];
    for (const p of ['memory', 'disk', 'pid'] as const) {
      if (seen[p]) this.lastPressureAt[p] = nowMs;
      const at = this.lastPressureAt[p];
      const on = at !== undefined && nowMs - at < this.transitionPeriodMs;
      const t = texts[p];
      out.push(this.condition(t.type, on ? 'True' : 'False', on ? t.onReason : t.offReason, on ? t.onMessage : t.offMessage, nowMs));
    }
    out.push(this.condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', nowMs));
    this.previous = new Map(out.map((c) => [c.type, c]));
    return out;
  }

  private condition(type: string, status: ConditionStatus, reason: string, message: string, nowMs: number): NodeCondition {
    const now = formatTime(nowMs);
    const prev = this.previous.get(type);
    const lastTransitionTime = prev !== undefined && prev.status === status ? prev.lastTransitionTime : now;
    return { type, status, lastHeartbeatTime: now, lastTransitionTime, reason, message };
  }
}
