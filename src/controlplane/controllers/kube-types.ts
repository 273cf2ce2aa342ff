// The parts of Kubernetes objects the controllers read and write. Objects reach us from the object API
// (already schema-checked JSON), so these readers only cast and default; they never trust optional fields.
import type { KubeObject } from '../../api/index.js';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string | null;
  lastHeartbeatTime?: string | null;
  lastUpdateTime?: string | null;
  lastProbeTime?: string | null;
}

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' | string;
  timeAdded?: string | null;
}

export interface Toleration {
  key?: string;
  operator?: 'Equal' | 'Exists' | string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number | null;
}

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt' | string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface Affinity {
  nodeAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface ResourceList { [name: string]: string | number }

export interface Container {
  name: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
  restartPolicy?: string;
  [key: string]: unknown;
}

export interface PodSpec {
  nodeName?: string;
  schedulerName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  tolerations?: Toleration[];
  containers?: Container[];
  initContainers?: Container[];
  overhead?: ResourceList;
  hostname?: string;
  subdomain?: string;
  [key: string]: unknown;
}

export interface ContainerStatus {
  name: string;
  restartCount?: number;
  ready?: boolean;
  [key: string]: unknown;
}

export interface PodStatus {
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown' | string;
  conditions?: Condition[];
  containerStatuses?: ContainerStatus[];
  [key: string]: unknown;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [key: string]: unknown };
  spec?: PodSpec;
}

export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface NodeSpec {
  unschedulable?: boolean;
  taints?: Taint[];
  [key: string]: unknown;
}

export interface NodeStatus {
  conditions?: Condition[];
  allocatable?: ResourceList;
  capacity?: ResourceList;
  [key: string]: unknown;
}

const asRecord = (v: unknown): Record<string, unknown> =>
  (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : {});

export const podSpec = (pod: KubeObject): PodSpec => asRecord(pod.spec) as PodSpec;
export const podStatus = (pod: KubeObject): PodStatus => asRecord(pod.status) as PodStatus;
export const nodeSpec = (node: KubeObject): NodeSpec => asRecord(node.spec) as NodeSpec;
export const nodeStatus = (node: KubeObject): NodeStatus => asRecord(node.status) as NodeStatus;
export const specOf = (obj: KubeObject): Record<string, unknown> => asRecord(obj.spec);
export const statusOf = (obj: KubeObject): Record<string, unknown> => asRecord(obj.status);

/** The pod template of a workload (Deployment, ReplicaSet, DaemonSet, StatefulSet). */
export const templateOf = (obj: KubeObject): PodTemplate => asRecord(specOf(obj).template) as PodTemplate;

/** spec.replicas of a workload; Kubernetes defaults it to 1. */
export function replicasOf(obj: KubeObject): number {
  const r = specOf(obj).replicas;
  return typeof r === 'number' && Number.isFinite(r) ? r : 1;
}

export function numberField(obj: Record<string, unknown>, key: string): number {
  const v = obj[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

export function findCondition(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** A deep copy, so controllers never mutate objects held by an informer cache. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
