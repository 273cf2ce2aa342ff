// Which namespaced objects a pod needs on its node. Mirrors KubeEdge's
// LocationCache.PodConfigMapsAndSecrets (volumes, projected sources, envFrom, env valueFrom,
// imagePullSecrets) and adds init and ephemeral containers, the service account, and persistent
// volume claims, as the Kubernetes node authorizer's graph does.
import type { KubeObject } from '../../api/index.js';

export interface PodReferences {
  configmaps: string[];
  secrets: string[];
  serviceaccounts: string[];
  persistentvolumeclaims: string[];
}

export type ReferenceKind = keyof PodReferences;

interface NameRef { name?: string }
interface EnvVar { valueFrom?: { configMapKeyRef?: NameRef; secretKeyRef?: NameRef } }
interface EnvFrom { configMapRef?: NameRef; secretRef?: NameRef }
interface Container { env?: EnvVar[]; envFrom?: EnvFrom[] }
interface ProjectedSource { configMap?: NameRef; secret?: NameRef; serviceAccountToken?: unknown }
interface Volume {
  configMap?: NameRef;
  secret?: { secretName?: string };
  projected?: { sources?: ProjectedSource[] };
  persistentVolumeClaim?: { claimName?: string };
}
export interface PodSpecLike {
  nodeName?: string;
  serviceAccountName?: string;
  volumes?: Volume[];
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  imagePullSecrets?: NameRef[];
}

export function podSpec(pod: KubeObject): PodSpecLike {
  const spec = pod['spec'];
  return typeof spec === 'object' && spec !== null ? (spec as PodSpecLike) : {};
}

/** The node a pod is bound to, or '' when unscheduled. */
export function podNodeName(pod: KubeObject): string {
  return podSpec(pod).nodeName ?? '';
}

/** The names (in the pod's namespace) a pod references, each list deduplicated. */
export function podReferences(pod: KubeObject): PodReferences {
  const spec = podSpec(pod);
  const cm = new Set<string>();
  const sec = new Set<string>();
  const pvc = new Set<string>();
  const add = (set: Set<string>, name: string | undefined): void => {
    if (typeof name === 'string' && name !== '') set.add(name);
  };
  for (const v of spec.volumes ?? []) {
    add(cm, v.configMap?.name);
    add(sec, v.secret?.secretName);
    add(pvc, v.persistentVolumeClaim?.claimName);
    for (const s of v.projected?.sources ?? []) {
      add(cm, s.configMap?.name);
      add(sec, s.secret?.name);
    }
  }
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
  for (const c of containers) {
    for (const ef of c.envFrom ?? []) {
      add(cm, ef.configMapRef?.name);
      add(sec, ef.secretRef?.name);
    }
    for (const e of c.env ?? []) {
      add(cm, e.valueFrom?.configMapKeyRef?.name);
      add(sec, e.valueFrom?.secretKeyRef?.name);
    }
  }
  for (const s of spec.imagePullSecrets ?? []) add(sec, s.name);
  // Every pod runs as a service account ("default" when unset); its token is what the node may ask for.
  const sa = spec.serviceAccountName && spec.serviceAccountName !== '' ? spec.serviceAccountName : 'default';
  return { configmaps: [...cm], secrets: [...sec], serviceaccounts: [sa], persistentvolumeclaims: [...pvc] };
}
