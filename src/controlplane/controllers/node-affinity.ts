// Node selection rules shared by the scheduler and the DaemonSet controller: nodeSelector, required node
// affinity (matchExpressions on labels, matchFields on metadata.name), taints and tolerations.
import type { KubeObject } from '../../api/index.js';
import type { NodeSelectorRequirement, NodeSelectorTerm, PodSpec, Taint, Toleration } from './kube-types.js';
import { nodeSpec } from './kube-types.js';

function matchLabelRequirement(req: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, req.key);
  const value = labels[req.key];
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In': return has && values.includes(value ?? '');
    case 'NotIn': return !has || !values.includes(value ?? '');
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'Gt':
    case 'Lt': {
      const left = Number.parseInt(value ?? '', 10);
      const right = Number.parseInt(values[0] ?? '', 10);
      if (!has || Number.isNaN(left) || Number.isNaN(right) || values.length !== 1) return false;
      return req.operator === 'Gt' ? left > right : left < right;
    }
    default: return false;
  }
}

// matchFields supports only metadata.name with In / NotIn, as in Kubernetes.
function matchFieldRequirement(req: NodeSelectorRequirement, nodeName: string): boolean {
  if (req.key !== 'metadata.name') return false;
  const values = req.values ?? [];
  if (req.operator === 'In') return values.includes(nodeName);
  if (req.operator === 'NotIn') return !values.includes(nodeName);
  return false;
}

/** One term: every expression and field requirement holds. An empty term matches nothing. */
export function matchNodeSelectorTerm(term: NodeSelectorTerm, node: KubeObject): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  const name = node.metadata.name ?? '';
  return exprs.every((r) => matchLabelRequirement(r, labels)) && fields.every((r) => matchFieldRequirement(r, name));
}

/** nodeSelector and requiredDuringSchedulingIgnoredDuringExecution (terms are ORed). */
export function matchesNodeSelectorAndAffinity(spec: PodSpec, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return (required.nodeSelectorTerms ?? []).some((t) => matchNodeSelectorTerm(t, node));
}

export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  const op = toleration.operator || 'Equal';
  if (op === 'Exists') return true;
  if (op !== 'Equal') return false;
  // An empty key is only valid with Exists; with Equal it tolerates nothing.
  if (!toleration.key) return false;
  return (toleration.value ?? '') === (taint.value ?? '');
}

export function toleratesTaint(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => tolerates(t, taint));
}

/** The first NoSchedule/NoExecute taint (of those given, in order) the tolerations do not cover. */
export function firstUntoleratedTaint(taints: Taint[], tolerations: Toleration[] | undefined,
  effects: readonly string[] = ['NoSchedule', 'NoExecute']): Taint | undefined {
  return taints.find((t) => effects.includes(t.effect) && !toleratesTaint(tolerations, t));
}

export function nodeTaints(node: KubeObject): Taint[] {
  return Array.isArray(nodeSpec(node).taints) ? nodeSpec(node).taints as Taint[] : [];
}
