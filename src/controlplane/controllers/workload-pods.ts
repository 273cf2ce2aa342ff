// Pod construction and deletion order shared by the workload controllers (ReplicaSet, DaemonSet,
// StatefulSet).
import type { KubeObject, OwnerReference } from '../../api/index.js';
import { clone, findCondition, podSpec, podStatus, type PodTemplate } from './kube-types.js';
import { isReady, restartCount } from './pod-state.js';
import { parseTime } from './types.js';

export interface PodFromTemplate {
  template: PodTemplate;
  namespace: string;
  ownerRef: OwnerReference;
  /** generateName (ReplicaSet, DaemonSet) or a fixed name (StatefulSet). */
  generateName?: string;
  name?: string;
  extraLabels?: Record<string, string>;
}

/** A new pod from a workload's template: template labels, annotations and spec, owned by the workload. */
export function podFromTemplate(p: PodFromTemplate): KubeObject {
  const meta = p.template.metadata ?? {};
  const metadata: KubeObject['metadata'] = {
    namespace: p.namespace,
    labels: { ...(meta.labels ?? {}), ...(p.extraLabels ?? {}) },
    ownerReferences: [p.ownerRef],
  };
  if (p.name) metadata.name = p.name;
  else metadata.generateName = p.generateName ?? '';
  if (meta.annotations && Object.keys(meta.annotations).length > 0) metadata.annotations = { ...meta.annotations };
  if (Array.isArray(meta.finalizers) && meta.finalizers.length > 0) metadata.finalizers = [...meta.finalizers as string[]];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: clone(p.template.spec ?? {}) };
}

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * Negative when `a` should be deleted before `b`: unscheduled before scheduled, Pending before Unknown
 * before Running, not ready before ready, ready for less time first, more restarts first, newer first
 * (Kubernetes' ActivePods ordering).
 */
export function deletionOrder(a: KubeObject, b: KubeObject): number {
  const boundA = podSpec(a).nodeName ? 1 : 0;
  const boundB = podSpec(b).nodeName ? 1 : 0;
  if (boundA !== boundB) return boundA - boundB;
  const phaseA = phaseRank[podStatus(a).phase ?? 'Pending'] ?? 0;
  const phaseB = phaseRank[podStatus(b).phase ?? 'Pending'] ?? 0;
  if (phaseA !== phaseB) return phaseA - phaseB;
  const readyA = isReady(a) ? 1 : 0;
  const readyB = isReady(b) ? 1 : 0;
  if (readyA !== readyB) return readyA - readyB;
  if (readyA === 1) {
    const sinceA = readySince(a);
    const sinceB = readySince(b);
    if (sinceA !== sinceB) return sinceB - sinceA;
  }
  const restarts = restartCount(b) - restartCount(a);
  if (restarts !== 0) return restarts;
  return (parseTime(b.metadata.creationTimestamp) ?? 0) - (parseTime(a.metadata.creationTimestamp) ?? 0);
}

function readySince(pod: KubeObject): number {
  return parseTime(findCondition(podStatus(pod).conditions, 'Ready')?.lastTransitionTime) ?? 0;
}

/** Whether every template label is on the pod (ReplicaSet status.fullyLabeledReplicas). */
export function hasAllLabels(pod: KubeObject, labels: Record<string, string> | undefined): boolean {
  const have = pod.metadata.labels ?? {};
  return Object.entries(labels ?? {}).every(([k, v]) => have[k] === v);
}
