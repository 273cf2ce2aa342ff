// How a Deployment names, recognises and annotates its ReplicaSets: `<deployment>-<pod-template-hash>`,
// the hash label on selector and template, revision annotations, and the annotations copied over.
import type { KubeObject } from '../../api/index.js';
import { clone, replicasOf, specOf, templateOf, type PodTemplate } from './kube-types.js';
import { newControllerRef } from './owner-refs.js';
import { canonicalJson, templateHash, withoutLabel } from './template-hash.js';

export const hashLabel = 'pod-template-hash';
export const annotations = {
  revision: 'deployment.kubernetes.io/revision',
  revisionHistory: 'deployment.kubernetes.io/revision-history',
  desiredReplicas: 'deployment.kubernetes.io/desired-replicas',
  maxReplicas: 'deployment.kubernetes.io/max-replicas',
  lastApplied: 'kubectl.kubernetes.io/last-applied-configuration',
  rollbackTo: 'deprecated.deployment.rollback.to',
} as const;

// Annotations a Deployment keeps to itself (kube-controller-manager's skipCopyAnnotation).
const notCopied = new Set<string>(Object.values(annotations));

export function revisionOf(rs: KubeObject): number {
  const n = Number(rs.metadata.annotations?.[annotations.revision] ?? '');
  return Number.isInteger(n) && n > 0 ? n : 0;
}

export function maxRevision(list: KubeObject[]): number {
  return list.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/** Templates equal apart from the pod-template-hash label (EqualIgnoreHash). */
export function templatesEqual(a: PodTemplate, b: PodTemplate): boolean {
  return canonicalJson(withoutLabel(a, hashLabel)) === canonicalJson(withoutLabel(b, hashLabel));
}

/** The ReplicaSet running the Deployment's current template: the oldest one whose template matches. */
export function findNewReplicaSet(d: KubeObject, rsList: KubeObject[]): KubeObject | undefined {
  const want = templateOf(d);
  return [...rsList]
    .sort((a, b) => ((a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? -1 : 1))
    .find((rs) => templatesEqual(templateOf(rs), want));
}

export function podTemplateHash(d: KubeObject): string {
  const collisions = Number((d.status as { collisionCount?: unknown } | undefined)?.collisionCount ?? 0);
  return templateHash(withoutLabel(templateOf(d), hashLabel), Number.isInteger(collisions) ? collisions : 0);
}

/** Deployment annotations copied to its ReplicaSets (change-cause and user annotations). */
export function copiedAnnotations(d: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!notCopied.has(k)) out[k] = v;
  return out;
}

/** The ReplicaSet a Deployment creates for its current template. */
export function newReplicaSetFor(d: KubeObject, replicas: number, revision: number, maxSurge: number): KubeObject {
  const hash = podTemplateHash(d);
  const template = clone(templateOf(d));
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [hashLabel]: hash } };
  const selector = clone((specOf(d).selector ?? {}) as { matchLabels?: Record<string, string> });
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [hashLabel]: hash };
  const spec: Record<string, unknown> = { replicas, selector, template };
  const minReadySeconds = specOf(d).minReadySeconds;
  if (typeof minReadySeconds === 'number') spec.minReadySeconds = minReadySeconds;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name ?? ''}-${hash}`,
      namespace: d.metadata.namespace ?? '',
      labels: { ...(template.metadata.labels ?? {}) },
      annotations: {
        ...copiedAnnotations(d),
        [annotations.revision]: String(revision),
        [annotations.desiredReplicas]: String(replicasOf(d)),
        [annotations.maxReplicas]: String(replicasOf(d) + maxSurge),
      },
      ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
    },
    spec,
  };
}
