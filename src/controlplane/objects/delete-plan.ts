// What a DELETE does to one object, decided without I/O (kube-apiserver's BeforeDelete, graceful pod
// deletion and the garbage collector's finalizers): keep it as it is, mark it terminating, or remove it.
import type { KubeObject } from '../../api/index.js';
import { cloneJson, finalizersOf, isTerminating, record, rfc3339, setFinalizers } from './object-meta.js';
import type { DeleteOptions, PropagationPolicy } from './types.js';

export const orphanFinalizer = 'orphan';
export const foregroundFinalizer = 'foregroundDeletion';
/** Pods without spec.terminationGracePeriodSeconds (defaulting normally sets it). */
export const defaultPodGracePeriodSeconds = 30;

export type DeletePlan =
  /** A graceful deletion is already under way and the request does not shorten it. */
  | { action: 'keep' }
  /** Store `object` (deletionTimestamp, finalizers) and keep it. */
  | { action: 'mark'; object: KubeObject }
  /** Remove now; when `object` is set, store it first (the deletion mark), as kube-apiserver does. */
  | { action: 'remove'; object?: KubeObject };

export interface DeleteContext {
  /** Whether the kind deletes gracefully (pods). */
  graceful: boolean;
  now: Date;
}

interface GraceOutcome { graceful: boolean; pending: boolean; period: number }

export function planDelete(obj: KubeObject, options: DeleteOptions, ctx: DeleteContext): DeletePlan {
  const next = cloneJson(obj);
  const grace = beforeDelete(next, options, ctx);
  if (grace.pending) return { action: 'keep' };
  const before = finalizersOf(next);
  const finalizers = gcFinalizers(before, options.propagationPolicy);
  setFinalizers(next, finalizers);
  const pendingFinalizers = finalizers.length > 0;
  if (!grace.graceful) {
    if (!pendingFinalizers) return { action: 'remove' };
    markAsDeleting(next, ctx.now);
    return { action: 'mark', object: next };
  }
  if (pendingFinalizers || grace.period > 0) return { action: 'mark', object: next };
  return { action: 'remove', object: next };
}

/** Graceful deletion of pods: sets or shortens the deletion deadline. */
function beforeDelete(next: KubeObject, options: DeleteOptions, ctx: DeleteContext): GraceOutcome {
  if (!ctx.graceful) return { graceful: false, pending: false, period: 0 };
  const meta = next.metadata;
  // Negative grace periods mean 1 second, as in Kubernetes.
  const asked = options.gracePeriodSeconds;
  const requested = asked === undefined ? undefined : asked < 0 ? 1 : asked;
  if (isTerminating(next)) {
    const current = meta.deletionGracePeriodSeconds;
    if (typeof current !== 'number' || current === 0) return { graceful: false, pending: false, period: 0 };
    if (requested === undefined || requested >= current) return { graceful: false, pending: true, period: current };
    const deadline = Date.parse(meta.deletionTimestamp ?? '') + (requested - current) * 1000;
    meta.deletionTimestamp = rfc3339(new Date(Number.isFinite(deadline) ? deadline : ctx.now.getTime()));
    meta.deletionGracePeriodSeconds = requested;
    return { graceful: true, pending: false, period: requested };
  }
  const period = podGracePeriod(next, requested);
  meta.deletionTimestamp = rfc3339(new Date(ctx.now.getTime() + period * 1000));
  meta.deletionGracePeriodSeconds = period;
  if (typeof meta.generation === 'number' && meta.generation > 0) meta.generation += 1;
  return { graceful: true, pending: false, period };
}

/** Unscheduled and finished pods have nothing to stop: they go at once. */
export function podGracePeriod(pod: KubeObject, requested: number | undefined): number {
  const spec = record(pod.spec) ?? {};
  const phase = record(pod.status)?.phase;
  if (typeof spec.nodeName !== 'string' || spec.nodeName === '') return 0;
  if (phase === 'Succeeded' || phase === 'Failed') return 0;
  if (requested !== undefined) return requested;
  const fromSpec = spec.terminationGracePeriodSeconds;
  return typeof fromSpec === 'number' && fromSpec >= 0 ? fromSpec : defaultPodGracePeriodSeconds;
}

/** The propagation policy wins; without one, a finalizer already present decides; the default is background. */
function wants(existing: string[], policy: PropagationPolicy | undefined, which: 'Orphan' | 'Foreground'): boolean {
  if (policy) return policy === which;
  for (const f of existing) {
    if (f === orphanFinalizer) return which === 'Orphan';
    if (f === foregroundFinalizer) return which === 'Foreground';
  }
  return false;
}

export function gcFinalizers(existing: string[], policy: PropagationPolicy | undefined): string[] {
  const out = existing.filter((f) => f !== orphanFinalizer && f !== foregroundFinalizer);
  if (wants(existing, policy, 'Orphan')) out.push(orphanFinalizer);
  if (wants(existing, policy, 'Foreground')) out.push(foregroundFinalizer);
  return sameSet(existing, out) ? existing : out;
}

/** A kind without graceful deletion that has finalizers: terminating now, grace period 0. */
export function markAsDeleting(obj: KubeObject, now: Date): void {
  const meta = obj.metadata;
  if (!isTerminating(obj) && typeof meta.generation === 'number' && meta.generation > 0) meta.generation += 1;
  const current = Date.parse(meta.deletionTimestamp ?? '');
  if (!isTerminating(obj) || current > now.getTime()) meta.deletionTimestamp = rfc3339(now);
  meta.deletionGracePeriodSeconds = 0;
}

function sameSet(a: string[], b: string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
}
