// Readings of pod state the workload controllers share: active, terminal, ready, available.
import type { KubeObject } from '../../api/index.js';
import { findCondition, podStatus, type Condition } from './kube-types.js';
import { parseTime } from './types.js';

export function isTerminal(pod: KubeObject): boolean {
  const phase = podStatus(pod).phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Counted by ReplicaSets: not finished and not being deleted. */
export function isActive(pod: KubeObject): boolean {
  return !isTerminal(pod) && !pod.metadata.deletionTimestamp;
}

export function isReady(pod: KubeObject): boolean {
  return findCondition(podStatus(pod).conditions, 'Ready')?.status === 'True';
}

export function isRunningAndReady(pod: KubeObject): boolean {
  return podStatus(pod).phase === 'Running' && isReady(pod);
}

/** Ready for at least minReadySeconds (measured from the Ready condition's lastTransitionTime). */
export function isAvailable(pod: KubeObject, minReadySeconds: number, now: Date): boolean {
  return availableInMs(pod, minReadySeconds, now) === 0;
}

/** 0 when available, the remaining wait when ready but not yet available, undefined when not ready. */
export function availableInMs(pod: KubeObject, minReadySeconds: number, now: Date): number | undefined {
  const ready = findCondition(podStatus(pod).conditions, 'Ready');
  if (ready?.status !== 'True') return undefined;
  if (minReadySeconds <= 0) return 0;
  const since = parseTime(ready.lastTransitionTime);
  if (since === undefined) return 0;
  return Math.max(0, since + minReadySeconds * 1000 - now.getTime());
}

/** Sets (or replaces) a condition; lastTransitionTime only moves when the status changes. */
export function setCondition(conditions: Condition[] | undefined, next: Condition): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === next.type);
  const old = i >= 0 ? list[i] : undefined;
  const merged: Condition = old && old.status === next.status && old.lastTransitionTime
    ? { ...next, lastTransitionTime: old.lastTransitionTime }
    : next;
  if (i >= 0) list[i] = merged;
  else list.push(merged);
  return list;
}

export function restartCount(pod: KubeObject): number {
  return (podStatus(pod).containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
}
