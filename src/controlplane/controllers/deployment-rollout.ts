// The arithmetic of a Deployment rolling update, as pure functions over replica counts, following
// kube-controller-manager: surge rounds up, unavailability rounds down, both 0 means 1 unavailable.
import type { KubeObject } from '../../api/index.js';
import { numberField, replicasOf, specOf, statusOf } from './kube-types.js';

/** An IntOrString of a strategy: 3 or "25%" of `total`. Malformed strings count as 0. */
export function intOrPercent(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, Math.trunc(value));
  if (typeof value !== 'string') return 0;
  const m = /^(\d+)%$/.exec(value.trim());
  if (m?.[1] !== undefined) {
    const exact = (Number(m[1]) * total) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

export interface Fenceposts { maxSurge: number; maxUnavailable: number }

/** maxSurge / maxUnavailable of a RollingUpdate Deployment (defaults 25% / 25%). */
export function resolveFenceposts(d: KubeObject): Fenceposts {
  const strategy = specOf(d).strategy as { type?: string; rollingUpdate?: { maxSurge?: unknown; maxUnavailable?: unknown } } | undefined;
  const replicas = replicasOf(d);
  if (strategy?.type === 'Recreate') return { maxSurge: 0, maxUnavailable: 0 };
  const maxSurge = intOrPercent(strategy?.rollingUpdate?.maxSurge ?? '25%', replicas, true);
  let maxUnavailable = intOrPercent(strategy?.rollingUpdate?.maxUnavailable ?? '25%', replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, replicas) };
}

export const specReplicas = (rs: KubeObject): number => numberField(specOf(rs), 'replicas');
export const availableReplicas = (rs: KubeObject): number => numberField(statusOf(rs), 'availableReplicas');
export const sumSpecReplicas = (list: KubeObject[]): number => list.reduce((n, rs) => n + specReplicas(rs), 0);
/** A ReplicaSet never has more available pods than it is told to keep (its status may lag a scale-down). */
const effectiveAvailable = (rs: KubeObject): number => Math.min(specReplicas(rs), availableReplicas(rs));
export const sumAvailable = (list: KubeObject[]): number => list.reduce((n, rs) => n + effectiveAvailable(rs), 0);

/** Every ReplicaSet's status describes its current spec (status.observedGeneration caught up). */
export function replicaSetsSynced(list: KubeObject[]): boolean {
  return list.every((rs) => numberField(statusOf(rs), 'observedGeneration') >= (rs.metadata.generation ?? 0));
}

/** The replicas the new ReplicaSet may have now: up to replicas + maxSurge pods in total. */
export function newReplicaSetReplicas(d: KubeObject, allRs: KubeObject[], newRsReplicas: number): number {
  const replicas = replicasOf(d);
  const { maxSurge } = resolveFenceposts(d);
  const current = sumSpecReplicas(allRs);
  const maxTotal = replicas + maxSurge;
  if (current >= maxTotal) return newRsReplicas;
  return newRsReplicas + Math.max(0, Math.min(maxTotal - current, replicas - newRsReplicas));
}

/** Planned spec.replicas for the old ReplicaSets: name → new count (only the ones that change). */
export function scaleDownOldPlan(d: KubeObject, oldRs: KubeObject[], newRs: KubeObject | undefined): Map<string, number> {
  const plan = new Map<string, number>();
  const allRs = newRs ? [...oldRs, newRs] : oldRs;
  if (sumSpecReplicas(oldRs) === 0) return plan;
  const minAvailable = replicasOf(d) - resolveFenceposts(d).maxUnavailable;
  const newUnavailable = newRs ? Math.max(0, specReplicas(newRs) - availableReplicas(newRs)) : 0;
  let budget = sumSpecReplicas(allRs) - minAvailable - newUnavailable;
  if (budget <= 0) return plan;
  const oldest = [...oldRs].sort(byCreation);
  const target = new Map(oldest.map((rs) => [rs.metadata.name ?? '', specReplicas(rs)]));
  // First the pods that are not available anyway: removing them costs no availability.
  for (const rs of oldest) {
    if (budget <= 0) break;
    const name = rs.metadata.name ?? '';
    const current = target.get(name) ?? 0;
    const unhealthy = Math.max(0, current - availableReplicas(rs));
    const cut = Math.min(unhealthy, budget);
    if (cut > 0) { target.set(name, current - cut); budget -= cut; }
  }
  // Then available ones, while more than minAvailable pods stay available.
  let spare = sumAvailable(allRs) - minAvailable;
  for (const rs of oldest) {
    if (spare <= 0) break;
    const name = rs.metadata.name ?? '';
    const current = target.get(name) ?? 0;
    const cut = Math.min(current, spare);
    if (cut > 0) { target.set(name, current - cut); spare -= cut; }
  }
  for (const rs of oldest) {
    const name = rs.metadata.name ?? '';
    const t = target.get(name) ?? 0;
    if (t !== specReplicas(rs)) plan.set(name, t);
  }
  return plan;
}

export function byCreation(a: KubeObject, b: KubeObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}
