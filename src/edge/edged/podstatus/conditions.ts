// Pod conditions kubelet owns (kubelet: pkg/kubelet/status/generate.go), with lastTransitionTime kept
// while a condition's status does not change (status manager: updateLastTransitionTime).
import type { Json, PodContainer } from '../pod-contracts.js';
import { isRestartableInit } from './container-status.js';
import { anyRegularContainerStarted, type PodPhase } from './phase.js';

export interface PodCondition { type: string; status: 'True' | 'False' | 'Unknown'; reason?: string; message?: string }

/** Types kubelet generates; every other condition on the pod (readiness gates, DisruptionTarget) is kept. */
export const KUBELET_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'] as const;

/** Go's fmt %s of a []string: [a b]. */
const goList = (names: string[]): string => `[${names.join(' ')}]`;

function cond(type: string, ok: boolean, reason?: string, message?: string): PodCondition {
  const c: PodCondition = { type, status: ok ? 'True' : 'False' };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

export interface ConditionInput {
  initContainers: PodContainer[];
  containers: PodContainer[];
  statuses: ReadonlyMap<string, Json>;
  phase: PodPhase;
  sandboxReady: boolean;
  readinessGates: string[];
  /** Conditions currently on the pod that kubelet does not own. */
  others: Json[];
}

export function containersReady(input: ConditionInput): PodCondition {
  const unknown: string[] = [];
  const unready: string[] = [];
  const relevant = [...input.initContainers.filter(isRestartableInit), ...input.containers];
  for (const c of relevant) {
    const s = input.statuses.get(c.name);
    if (!s) unknown.push(c.name);
    else if (s.ready !== true) unready.push(c.name);
  }
  if (input.phase === 'Succeeded' && unknown.length === 0) return cond('ContainersReady', false, 'PodCompleted');
  if (input.phase === 'Failed') return cond('ContainersReady', false, 'PodFailed');
  const messages: string[] = [];
  if (unknown.length > 0) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length > 0) messages.push(`containers with unready status: ${goList(unready)}`);
  return messages.length > 0 ? cond('ContainersReady', false, 'ContainersNotReady', messages.join(', ')) : cond('ContainersReady', true);
}

export function podReady(input: ConditionInput, containers: PodCondition): PodCondition {
  if (containers.status !== 'True') return { ...containers, type: 'Ready' };
  const messages: string[] = [];
  for (const gate of input.readinessGates) {
    const c = input.others.find((o) => o.type === gate);
    if (!c) messages.push(`corresponding condition of pod readiness gate "${gate}" does not exist.`);
    else if (c.status !== 'True') messages.push(`the status of pod readiness gate "${gate}" is not "True", but ${String(c.status)}`);
  }
  return messages.length > 0 ? cond('Ready', false, 'ReadinessGatesNotReady', messages.join(', ')) : cond('Ready', true);
}

export function initialized(input: ConditionInput): PodCondition {
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of input.initContainers) {
    const s = input.statuses.get(c.name);
    if (!s) unknown.push(c.name);
    else if (isRestartableInit(c) ? s.started !== true : s.ready !== true) incomplete.push(c.name);
  }
  if (input.phase === 'Succeeded' && unknown.length === 0) return cond('Initialized', true, 'PodCompleted');
  // Once a regular container ran the pod was initialized, even if a sidecar restarts since.
  if (anyRegularContainerStarted(input.containers, input.statuses)) return cond('Initialized', true);
  const messages: string[] = [];
  if (unknown.length > 0) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length > 0) messages.push(`containers with incomplete status: ${goList(incomplete)}`);
  return messages.length > 0 ? cond('Initialized', false, 'ContainersNotInitialized', messages.join(', ')) : cond('Initialized', true);
}

/** Kubelet's order: kept conditions, then PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled. */
export function generateConditions(input: ConditionInput): PodCondition[] {
  const cr = containersReady(input);
  return [
    cond('PodReadyToStartContainers', input.sandboxReady),
    initialized(input),
    podReady(input, cr),
    cr,
    cond('PodScheduled', true),
  ];
}

/**
 * The API form of the conditions: lastProbeTime null, and lastTransitionTime carried over from the
 * first earlier list that has the condition with the same status, else `now`.
 */
export function withTransitionTimes(conditions: PodCondition[], earlier: Json[][], now: string): Json[] {
  return conditions.map((c) => {
    let since = now;
    for (const list of earlier) {
      const prev = list.find((p) => p.type === c.type);
      if (!prev) continue;
      if (prev.status === c.status && typeof prev.lastTransitionTime === 'string') since = prev.lastTransitionTime;
      break;
    }
    const out: Json = { type: c.type, status: c.status, lastProbeTime: null, lastTransitionTime: since };
    if (c.reason) out.reason = c.reason;
    if (c.message) out.message = c.message;
    return out;
  });
}
