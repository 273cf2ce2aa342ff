// StatefulSet pod identity: stable names `<set>-<ordinal>`, the identity labels, hostname/subdomain,
// and the revision label that says which template a pod was made from.
import type { KubeObject } from '../../api/index.js';
import { revisionHashLabel } from './daemonset-placement.js';
import { specOf, templateOf } from './kube-types.js';
import { newControllerRef } from './owner-refs.js';
import { templateHash, withoutLabel } from './template-hash.js';
import { podFromTemplate } from './workload-pods.js';

export const podNameLabel = 'statefulset.kubernetes.io/pod-name';
export const podIndexLabel = 'apps.kubernetes.io/pod-index';

/** The ordinal of a pod of this set, or undefined for names that are not `<set>-<n>`. */
export function ordinalOf(set: KubeObject, pod: KubeObject): number | undefined {
  const prefix = `${set.metadata.name ?? ''}-`;
  const name = pod.metadata.name ?? '';
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

/** `<set>-<template hash>`, the name Kubernetes gives the set's ControllerRevision. */
export function updateRevisionOf(set: KubeObject): string {
  return `${set.metadata.name ?? ''}-${templateHash(withoutLabel(templateOf(set), revisionHashLabel))}`;
}

export function revisionOfPod(pod: KubeObject): string | undefined {
  return pod.metadata.labels?.[revisionHashLabel];
}

export function statefulPod(set: KubeObject, ordinal: number, revision: string): KubeObject {
  const name = `${set.metadata.name ?? ''}-${ordinal}`;
  const pod = podFromTemplate({
    template: templateOf(set),
    namespace: set.metadata.namespace ?? '',
    name,
    ownerRef: newControllerRef(set, 'apps/v1', 'StatefulSet'),
    extraLabels: { [podNameLabel]: name, [podIndexLabel]: String(ordinal), [revisionHashLabel]: revision },
  });
  const spec = pod.spec as Record<string, unknown>;
  spec.hostname = name;
  const serviceName = specOf(set).serviceName;
  if (typeof serviceName === 'string' && serviceName !== '') spec.subdomain = serviceName;
  return pod;
}

export function partitionOf(set: KubeObject): number {
  const strategy = specOf(set).updateStrategy as { rollingUpdate?: { partition?: unknown } } | undefined;
  const p = strategy?.rollingUpdate?.partition;
  return typeof p === 'number' && p > 0 ? p : 0;
}

export function isOrderedReady(set: KubeObject): boolean {
  return specOf(set).podManagementPolicy !== 'Parallel';
}

export function isRollingUpdate(set: KubeObject): boolean {
  const strategy = specOf(set).updateStrategy as { type?: string } | undefined;
  return (strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}
