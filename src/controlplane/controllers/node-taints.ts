// The taints the node lifecycle controller keeps in step with node state (TaintNodesByCondition and
// taint-based eviction): not-ready / unreachable with NoSchedule and NoExecute from the Ready condition,
// and unschedulable:NoSchedule from spec.unschedulable. Pure functions over a node.
import type { KubeObject } from '../../api/index.js';
import { findCondition, nodeSpec, nodeStatus, type Taint } from './kube-types.js';
import { nodeTaints } from './node-affinity.js';
import { taintKeys } from './scheduler-filters.js';

const managedKeys = new Set<string>([taintKeys.notReady, taintKeys.unreachable, taintKeys.unschedulable]);

/** The managed taints a node should carry now (timeAdded is filled in by the caller). */
export function wantedTaints(node: KubeObject): Taint[] {
  const out: Taint[] = [];
  const ready = findCondition(nodeStatus(node).conditions, 'Ready')?.status;
  if (ready === 'False') out.push({ key: taintKeys.notReady, effect: 'NoSchedule' }, { key: taintKeys.notReady, effect: 'NoExecute' });
  if (ready === 'Unknown') out.push({ key: taintKeys.unreachable, effect: 'NoSchedule' }, { key: taintKeys.unreachable, effect: 'NoExecute' });
  if (nodeSpec(node).unschedulable === true) out.push({ key: taintKeys.unschedulable, effect: 'NoSchedule' });
  return out;
}

/**
 * The node's taint list with the managed taints reconciled: missing ones added (NoExecute ones stamped
 * with timeAdded, which eviction counts from), stale ones dropped, others (user taints) untouched.
 * Undefined when nothing changes.
 */
export function reconcileTaints(node: KubeObject, timeAdded: string): Taint[] | undefined {
  const current = nodeTaints(node);
  const wanted = wantedTaints(node);
  const same = (a: Taint, b: Taint): boolean => a.key === b.key && a.effect === b.effect;
  const keep = current.filter((t) => !managedKeys.has(t.key) || wanted.some((w) => same(w, t)));
  const add = wanted.filter((w) => !current.some((t) => same(w, t)))
    .map((w) => (w.effect === 'NoExecute' ? { ...w, timeAdded } : w));
  if (add.length === 0 && keep.length === current.length) return undefined;
  return [...keep, ...add];
}

/** KubeEdge autonomy: edge nodes keep their pods while the cloud cannot reach them. */
export function isAutonomousEdgeNode(node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  return Object.hasOwn(labels, 'node-role.kubernetes.io/edge') ||
    node.metadata.annotations?.['node.kubeedge.io/autonomy'] === 'true';
}
