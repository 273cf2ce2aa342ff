// The built-in resources in-process callers name (controllers, bootstrap, tests), by group and plural.
import type { ResourceRef } from './types.js';

export const builtinRefs = {
  pods: { group: '', resource: 'pods' },
  nodes: { group: '', resource: 'nodes' },
  namespaces: { group: '', resource: 'namespaces' },
  events: { group: '', resource: 'events' },
  configmaps: { group: '', resource: 'configmaps' },
  secrets: { group: '', resource: 'secrets' },
  services: { group: '', resource: 'services' },
  endpoints: { group: '', resource: 'endpoints' },
  serviceaccounts: { group: '', resource: 'serviceaccounts' },
  leases: { group: 'coordination.k8s.io', resource: 'leases' },
  deployments: { group: 'apps', resource: 'deployments' },
  replicasets: { group: 'apps', resource: 'replicasets' },
  daemonsets: { group: 'apps', resource: 'daemonsets' },
  statefulsets: { group: 'apps', resource: 'statefulsets' },
  controllerrevisions: { group: 'apps', resource: 'controllerrevisions' },
  crds: { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' },
} as const satisfies Record<string, ResourceRef>;
