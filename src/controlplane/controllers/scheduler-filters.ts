// The scheduler's filters, in kube-scheduler's plugin order (NodeUnschedulable, TaintToleration,
// NodeAffinity, NodeResourcesFit). A node fails at its first failing filter; the reasons use
// kube-scheduler's wording because users grep for them in `kubectl describe pod`.
import type { KubeObject } from '../../api/index.js';
import { findCondition, nodeSpec, nodeStatus, podSpec, type Taint } from './kube-types.js';
import { firstUntoleratedTaint, matchesNodeSelectorAndAffinity, nodeTaints, toleratesTaint } from './node-affinity.js';
import { insufficientResources, type Amounts, type NodeInfo } from './scheduler-resources.js';

export const taintKeys = {
  notReady: 'node.kubernetes.io/not-ready',
  unreachable: 'node.kubernetes.io/unreachable',
  unschedulable: 'node.kubernetes.io/unschedulable',
} as const;

export const filterReasons = {
  unschedulable: 'node(s) were unschedulable',
  affinity: "node(s) didn't match Pod's node affinity/selector",
  taint: (t: Taint) => `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`,
} as const;

/**
 * The node's taints plus the NoSchedule taint its Ready condition implies. The node lifecycle controller
 * writes these taints itself; implying them here closes the gap until it has (and covers nodes whose
 * Ready condition is missing), so a pod lands on a not-ready node only if it tolerates that.
 */
export function effectiveTaints(node: KubeObject): Taint[] {
  const taints = nodeTaints(node);
  const ready = findCondition(nodeStatus(node).conditions, 'Ready');
  if (ready?.status === 'True') return taints;
  const key = ready?.status === 'Unknown' ? taintKeys.unreachable : taintKeys.notReady;
  if (taints.some((t) => t.key === key && t.effect === 'NoSchedule')) return taints;
  return [...taints, { key, effect: 'NoSchedule' }];
}

/** Why the pod cannot go to this node; empty when it can. */
export function filterNode(pod: KubeObject, info: NodeInfo, requests: Amounts): string[] {
  const spec = podSpec(pod);
  const node = info.node;
  if (nodeSpec(node).unschedulable === true &&
    !toleratesTaint(spec.tolerations, { key: taintKeys.unschedulable, effect: 'NoSchedule' })) {
    return [filterReasons.unschedulable];
  }
  const taint = firstUntoleratedTaint(effectiveTaints(node), spec.tolerations);
  if (taint) return [filterReasons.taint(taint)];
  if (!matchesNodeSelectorAndAffinity(spec, node)) return [filterReasons.affinity];
  return insufficientResources(info, requests);
}

/**
 * kube-scheduler's FitError text: "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had
 * untolerated taint {node.kubernetes.io/unreachable: }." — one "<count> <reason>" per distinct reason,
 * sorted as strings.
 */
export function fitErrorMessage(nodeCount: number, reasonsByNode: string[][]): string {
  if (nodeCount === 0) return 'no nodes available to schedule pods';
  const counts = new Map<string, number>();
  for (const reasons of reasonsByNode) for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
  return `0/${nodeCount} nodes are available${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}
