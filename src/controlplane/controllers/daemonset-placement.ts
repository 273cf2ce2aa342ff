// Where a DaemonSet runs: every node its template's nodeSelector / node affinity accepts and whose
// taints the pod tolerates, counting the tolerations every daemon pod gets (not-ready and unreachable
// NoExecute, so daemons stay on lost nodes; pressure and unschedulable NoSchedule). Daemon pods name
// their node with a matchFields affinity term and are bound by the scheduler (Kubernetes ≥ 1.12).
import type { KubeObject } from '../../api/index.js';
import { clone, podSpec, templateOf, type PodSpec, type Toleration } from './kube-types.js';
import { firstUntoleratedTaint, matchesNodeSelectorAndAffinity, nodeTaints } from './node-affinity.js';

export const revisionHashLabel = 'controller-revision-hash';

const defaultTolerations: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

const hostNetworkToleration: Toleration = { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' };

/** The template's tolerations plus the daemon defaults it does not already have. */
export function daemonTolerations(spec: PodSpec): Toleration[] {
  const list = [...(spec.tolerations ?? [])];
  const wanted = spec.hostNetwork === true ? [...defaultTolerations, hostNetworkToleration] : defaultTolerations;
  for (const t of wanted) {
    if (!list.some((x) => x.key === t.key && x.effect === t.effect && (x.operator ?? 'Equal') === t.operator)) list.push({ ...t });
  }
  return list;
}

export interface Placement {
  /** A daemon pod should be created here. */
  shouldRun: boolean;
  /** An existing daemon pod may stay (no untolerated NoExecute taint). */
  shouldContinueRunning: boolean;
}

export function placementOn(ds: KubeObject, node: KubeObject): Placement {
  const spec = templateOf(ds).spec ?? {};
  if (!matchesNodeSelectorAndAffinity(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = daemonTolerations(spec);
  const taints = nodeTaints(node);
  const noExecute = firstUntoleratedTaint(taints, tolerations, ['NoExecute']);
  const any = firstUntoleratedTaint(taints, tolerations, ['NoSchedule', 'NoExecute']);
  return { shouldRun: !any, shouldContinueRunning: !noExecute };
}

/** The pod spec for one node: the template's spec with daemon tolerations and required affinity to
 *  exactly that node (replacing the template's terms, which placementOn already checked). */
export function daemonPodSpec(ds: KubeObject, nodeName: string): PodSpec {
  const spec = clone(templateOf(ds).spec ?? {});
  spec.tolerations = daemonTolerations(spec);
  const affinity = spec.affinity ?? {};
  const nodeAffinity = affinity.nodeAffinity ?? {};
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
  };
  affinity.nodeAffinity = nodeAffinity;
  spec.affinity = affinity;
  return spec;
}

/** The node a daemon pod belongs to (bound node, or the node its affinity names). */
export function daemonPodNode(pod: KubeObject): string | undefined {
  const spec = podSpec(pod);
  if (spec.nodeName) return spec.nodeName;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const field = terms[0]?.matchFields?.find((f) => f.key === 'metadata.name' && f.operator === 'In');
  return field?.values?.length === 1 ? field.values[0] : undefined;
}
