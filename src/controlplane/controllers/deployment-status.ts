// Deployment status and its Available / Progressing conditions, which `kubectl rollout status` reads:
// it waits until observedGeneration >= generation, updatedReplicas == replicas (spec), status.replicas ==
// updatedReplicas (old pods gone) and availableReplicas == updatedReplicas, and fails on
// ProgressDeadlineExceeded.
import type { KubeObject } from '../../api/index.js';
import { findCondition, numberField, replicasOf, specOf, statusOf, type Condition } from './kube-types.js';
import { resolveFenceposts } from './deployment-rollout.js';
import { formatTime, parseTime } from './types.js';

export interface DeploymentStatus {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  conditions: Condition[];
  collisionCount?: number;
}

export const reasons = {
  minimumAvailable: 'MinimumReplicasAvailable',
  minimumUnavailable: 'MinimumReplicasUnavailable',
  newRsCreated: 'NewReplicaSetCreated',
  rsUpdated: 'ReplicaSetUpdated',
  newRsAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
} as const;

const sum = (list: KubeObject[], key: string): number => list.reduce((n, rs) => n + numberField(statusOf(rs), key), 0);

/** The counts of a Deployment's status, from its ReplicaSets' statuses. */
export function countStatus(d: KubeObject, allRs: KubeObject[], newRs: KubeObject | undefined): Omit<DeploymentStatus, 'conditions'> {
  const available = sum(allRs, 'availableReplicas');
  const out: Omit<DeploymentStatus, 'conditions'> = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: sum(allRs, 'replicas'),
    updatedReplicas: newRs ? numberField(statusOf(newRs), 'replicas') : 0,
    readyReplicas: sum(allRs, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, replicasOf(d) - available),
  };
  const collisions = statusOf(d).collisionCount;
  if (typeof collisions === 'number') out.collisionCount = collisions;
  return out;
}

export function isComplete(d: KubeObject, s: Omit<DeploymentStatus, 'conditions'>): boolean {
  const replicas = replicasOf(d);
  return s.updatedReplicas === replicas && s.replicas === replicas && s.availableReplicas === replicas &&
    s.observedGeneration >= (d.metadata.generation ?? 0);
}

function progressed(old: Record<string, unknown>, s: Omit<DeploymentStatus, 'conditions'>): boolean {
  return s.updatedReplicas > numberField(old, 'updatedReplicas') || s.replicas < numberField(old, 'replicas') ||
    s.readyReplicas > numberField(old, 'readyReplicas') || s.availableReplicas > numberField(old, 'availableReplicas');
}

/** progressDeadlineSeconds in ms (default 600 s); undefined when disabled (MaxInt32). */
export function progressDeadlineMs(d: KubeObject): number | undefined {
  const v = specOf(d).progressDeadlineSeconds;
  const seconds = typeof v === 'number' ? v : 600;
  return seconds >= 2147483647 ? undefined : seconds * 1000;
}

/** Sets a condition: lastUpdateTime moves on every change, lastTransitionTime only when status flips. */
function put(list: Condition[], next: Condition): Condition[] {
  const old = list.find((c) => c.type === next.type);
  if (old && old.status === next.status && old.reason === next.reason && old.message === next.message) return list;
  const cond = old && old.status === next.status ? { ...next, lastTransitionTime: old.lastTransitionTime ?? next.lastTransitionTime } : next;
  return [...list.filter((c) => c.type !== next.type), cond];
}

export interface ConditionInput {
  d: KubeObject;
  counts: Omit<DeploymentStatus, 'conditions'>;
  newRsName: string | undefined;
  /** A new ReplicaSet was created in this sync. */
  createdNewRs: boolean;
  now: Date;
}

export function computeConditions(c: ConditionInput): Condition[] {
  const { d, counts, now } = c;
  const t = formatTime(now);
  const make = (type: string, status: string, reason: string, message: string): Condition =>
    ({ type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message });
  let conds = [...((statusOf(d).conditions ?? []) as Condition[])];
  const minAvailable = replicasOf(d) - resolveFenceposts(d).maxUnavailable;
  conds = counts.availableReplicas >= minAvailable
    ? put(conds, make('Available', 'True', reasons.minimumAvailable, 'Deployment has minimum availability.'))
    : put(conds, make('Available', 'False', reasons.minimumUnavailable, 'Deployment does not have minimum availability.'));
  const progressing = findCondition(conds, 'Progressing');
  const rs = c.newRsName ?? '';
  if (specOf(d).paused === true) {
    return put(conds, make('Progressing', 'Unknown', reasons.paused, 'Deployment is paused'));
  }
  if (progressing?.reason === reasons.paused) {
    conds = put(conds, make('Progressing', 'Unknown', reasons.resumed, 'Deployment is resumed'));
  }
  if (progressDeadlineMs(d) === undefined) return conds.filter((x) => x.type !== 'Progressing');
  if (isComplete(d, counts)) {
    return put(conds, make('Progressing', 'True', reasons.newRsAvailable, `ReplicaSet "${rs}" has successfully progressed.`));
  }
  if (c.createdNewRs) {
    return put(conds, make('Progressing', 'True', reasons.newRsCreated, `Created new replica set "${rs}"`));
  }
  if (progressed(statusOf(d), counts) || !findCondition(conds, 'Progressing') ||
    findCondition(conds, 'Progressing')?.reason === reasons.newRsAvailable) {
    // Progress refreshes lastUpdateTime, which is what the deadline is measured from.
    const next = make('Progressing', 'True', reasons.rsUpdated, `ReplicaSet "${rs}" is progressing.`);
    return [...conds.filter((x) => x.type !== 'Progressing'), { ...next, lastTransitionTime: keepTransition(conds, 'True') ?? t }];
  }
  if (timedOut(d, conds, now)) {
    return put(conds, make('Progressing', 'False', reasons.timedOut, `ReplicaSet "${rs}" has timed out progressing.`));
  }
  return conds;
}

function keepTransition(conds: Condition[], status: string): string | undefined {
  const old = findCondition(conds, 'Progressing');
  return old?.status === status ? old.lastTransitionTime ?? undefined : undefined;
}

/** Milliseconds until the progress deadline passes, or undefined when no deadline is running. */
export function msUntilDeadline(d: KubeObject, conds: Condition[], now: Date): number | undefined {
  const limit = progressDeadlineMs(d);
  const p = findCondition(conds, 'Progressing');
  if (limit === undefined || !p || p.status !== 'True' || p.reason === reasons.newRsAvailable) return undefined;
  const since = parseTime(p.lastUpdateTime);
  return since === undefined ? undefined : Math.max(0, since + limit - now.getTime());
}

function timedOut(d: KubeObject, conds: Condition[], now: Date): boolean {
  return msUntilDeadline(d, conds, now) === 0;
}
