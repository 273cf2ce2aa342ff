// The built-in resources the controllers read and write, by group and plural, with their kinds.
import type { ResourceRef } from '../objects/index.js';

export { builtinRefs as refs } from '../objects/index.js';
import { builtinRefs as refs } from '../objects/index.js';

export interface KnownResource {
  ref: ResourceRef;
  /** apiVersion as written in ownerReferences, e.g. 'apps/v1'. */
  apiVersion: string;
  kind: string;
  namespaced: boolean;
}

const known = (ref: ResourceRef, version: string, kind: string, namespaced: boolean): KnownResource =>
  ({ ref, apiVersion: ref.group ? `${ref.group}/${version}` : version, kind, namespaced });

/** Built-ins that can own or be owned by other objects (what the garbage collector watches). */
export const ownerGraphResources: readonly KnownResource[] = [
  known(refs.pods, 'v1', 'Pod', true),
  known(refs.nodes, 'v1', 'Node', false),
  known(refs.namespaces, 'v1', 'Namespace', false),
  known(refs.configmaps, 'v1', 'ConfigMap', true),
  known(refs.secrets, 'v1', 'Secret', true),
  known(refs.services, 'v1', 'Service', true),
  known(refs.endpoints, 'v1', 'Endpoints', true),
  known(refs.serviceaccounts, 'v1', 'ServiceAccount', true),
  known(refs.leases, 'v1', 'Lease', true),
  known(refs.deployments, 'v1', 'Deployment', true),
  known(refs.replicasets, 'v1', 'ReplicaSet', true),
  known(refs.daemonsets, 'v1', 'DaemonSet', true),
  known(refs.statefulsets, 'v1', 'StatefulSet', true),
  known(refs.crds, 'v1', 'CustomResourceDefinition', false),
];

/** Namespaced built-ins a namespace deletion empties; workloads first so their controllers stop
 *  recreating pods while the rest is removed. Unknown (unserved) ones are skipped at run time. */
export const namespacedResources: readonly ResourceRef[] = [
  refs.deployments, refs.statefulsets, refs.daemonsets, refs.replicasets, refs.controllerrevisions,
  refs.pods, refs.services, refs.endpoints, refs.configmaps, refs.secrets, refs.serviceaccounts,
  refs.leases, { group: 'discovery.k8s.io', resource: 'endpointslices' },
  { group: 'batch', resource: 'jobs' }, { group: 'batch', resource: 'cronjobs' },
  { group: '', resource: 'persistentvolumeclaims' }, { group: '', resource: 'limitranges' },
  { group: '', resource: 'resourcequotas' }, { group: '', resource: 'podtemplates' },
  { group: 'networking.k8s.io', resource: 'ingresses' },
  { group: 'networking.k8s.io', resource: 'networkpolicies' },
  { group: 'policy', resource: 'poddisruptionbudgets' },
  { group: 'rbac.authorization.k8s.io', resource: 'roles' },
  { group: 'rbac.authorization.k8s.io', resource: 'rolebindings' },
  { group: 'autoscaling', resource: 'horizontalpodautoscalers' },
  refs.events, { group: 'events.k8s.io', resource: 'events' },
];

/** The group of an apiVersion: 'apps/v1' → 'apps', 'v1' → ''. */
export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}
