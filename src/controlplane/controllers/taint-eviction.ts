// When a pod on a node with NoExecute taints must go (the taint manager's rule): a taint no toleration
// matches evicts at once, a tolerated one after the smallest tolerationSeconds (never without one).
// The object API's DefaultTolerationSeconds admission gives new pods not-ready and unreachable
// tolerations of 300 s. Those default tolerations, and pods without any toleration for these two
// taints, use the configured podEvictionTimeout instead (the role of kube-apiserver's
// --default-not-ready-toleration-seconds), so the timeout can be tuned in one place; tolerations a
// user wrote with other values are honoured as written.
import type { KubeObject } from '../../api/index.js';
import { podSpec, type Taint, type Toleration } from './kube-types.js';
import { tolerates } from './node-affinity.js';
import { taintKeys } from './scheduler-filters.js';
import { parseTime } from './types.js';

const defaultedKeys = new Set<string>([taintKeys.notReady, taintKeys.unreachable]);
const admissionDefaultSeconds = 300;

function isAdmissionDefault(t: Toleration, taint: Taint): boolean {
  return defaultedKeys.has(taint.key) && t.key === taint.key && t.operator === 'Exists' &&
    t.effect === 'NoExecute' && t.tolerationSeconds === admissionDefaultSeconds;
}

function toleratedMs(t: Toleration, taint: Taint, podEvictionTimeoutMs: number): number {
  if (isAdmissionDefault(t, taint)) return podEvictionTimeoutMs;
  return Math.max(0, t.tolerationSeconds as number) * 1000;
}

/** Ms since epoch when the pod must be evicted, or undefined when it may stay. */
export function evictionDeadline(pod: KubeObject, taints: Taint[], podEvictionTimeoutMs: number, fallbackAdded: number): number | undefined {
  const tolerations = podSpec(pod).tolerations ?? [];
  let deadline: number | undefined;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue;
    const added = parseTime(taint.timeAdded) ?? fallbackAdded;
    const matching = tolerations.filter((t) => tolerates(t, taint));
    let waitMs: number | undefined;
    if (matching.length === 0) {
      waitMs = defaultedKeys.has(taint.key) ? podEvictionTimeoutMs : 0;
    } else {
      const bounded = matching.filter((t) => typeof t.tolerationSeconds === 'number');
      if (bounded.length === 0) continue;
      waitMs = Math.min(...bounded.map((t) => toleratedMs(t, taint, podEvictionTimeoutMs)));
    }
    deadline = Math.min(deadline ?? Number.POSITIVE_INFINITY, added + waitMs);
  }
  return deadline;
}
