// Hand-built ResourceDefs for the tests of this folder, shaped like the registry's built-in defs and
// like a def made from our Device CRD. Tests only; not exported from index.ts.
import type { ResourceDef } from '../registry/types.js';

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function fixtureDef(over: Partial<ResourceDef> & Pick<ResourceDef, 'resource' | 'kind'>): ResourceDef {
  const version = over.version ?? 'v1';
  return {
    group: '',
    version,
    versions: [version],
    singular: over.kind.toLowerCase(),
    listKind: `${over.kind}List`,
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: allVerbs,
    subresources: {},
    strategicMerge: true,
    columns: [],
    ...over,
  };
}

export const podDef = fixtureDef({
  resource: 'pods', kind: 'Pod', shortNames: ['po'], categories: ['all'],
  subresources: { status: true, binding: true, log: true, exec: true, eviction: true },
});
export const nodeDef = fixtureDef({ resource: 'nodes', kind: 'Node', namespaced: false, shortNames: ['no'], subresources: { status: true } });
export const namespaceDef = fixtureDef({ resource: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'], subresources: { status: true } });
export const configMapDef = fixtureDef({ resource: 'configmaps', kind: 'ConfigMap', shortNames: ['cm'] });
export const deploymentDef = fixtureDef({
  group: 'apps', resource: 'deployments', kind: 'Deployment', shortNames: ['deploy'], categories: ['all'],
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
});
export const serviceDef = fixtureDef({ resource: 'services', kind: 'Service', shortNames: ['svc'], subresources: { status: true } });
const scale = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' };
export const daemonSetDef = fixtureDef({ group: 'apps', resource: 'daemonsets', kind: 'DaemonSet', shortNames: ['ds'], subresources: { status: true } });
export const statefulSetDef = fixtureDef({ group: 'apps', resource: 'statefulsets', kind: 'StatefulSet', shortNames: ['sts'], subresources: { status: true, scale } });
export const leaseDef = fixtureDef({ group: 'coordination.k8s.io', resource: 'leases', kind: 'Lease' });
/** A built-in kind our schema tables do not know. */
export const ingressClassDef = fixtureDef({ group: 'networking.k8s.io', resource: 'ingressclasses', kind: 'IngressClass', namespaced: false });

export const deviceSchema: Record<string, unknown> = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      properties: {
        nodeName: { type: 'string' },
        deviceModelRef: { type: 'object', properties: { name: { type: 'string' } } },
        protocol: { type: 'object', properties: { configData: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
      },
    },
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};

export const deviceDef = fixtureDef({
  group: 'devices.kubeedge.io', version: 'v1beta1', resource: 'devices', kind: 'Device', strategicMerge: false,
  crd: 'devices.devices.kubeedge.io', schema: deviceSchema,
});
export const nodeGroupDef = fixtureDef({
  group: 'apps.kubeedge.io', version: 'v1alpha1', resource: 'nodegroups', kind: 'NodeGroup', namespaced: false,
  shortNames: ['ng'], strategicMerge: false, crd: 'nodegroups.apps.kubeedge.io', subresources: { status: true },
  schema: { type: 'object', properties: { spec: { type: 'object', properties: { nodes: { type: 'array', items: { type: 'string' } } } } } },
});

export const allFixtureDefs: ResourceDef[] = [
  podDef, nodeDef, namespaceDef, configMapDef, serviceDef, deploymentDef, daemonSetDef, statefulSetDef, leaseDef,
  ingressClassDef, deviceDef, nodeGroupDef,
];
