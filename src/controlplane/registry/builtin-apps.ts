// apps/v1 workloads as kube-apiserver 1.31 reports them in discovery, with table columns, status and
// scale subresources and strategies.
import { ageColumn } from './age.js';
import { allVerbs, integerField, looseSchema } from './builtin-core.js';
import { daemonSetStrategy, deploymentStrategy, replicaSetStrategy, statefulSetStrategy } from './strategies-apps.js';
import type { ResourceDef, ScaleSpec } from './types.js';
import { daemonSetColumns, deploymentColumns, replicaSetColumns, statefulSetColumns } from './workload-columns.js';

/** For built-ins .spec.selector is a LabelSelector object, not the string CRDs point at: the object API
 *  formats it (formatLabelSelector / labelSelectorString) into Scale.status.selector. */
const workloadScale: ScaleSpec = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' };

type AppsInput = Pick<ResourceDef, 'resource' | 'singular' | 'kind' | 'shortNames' | 'columns' | 'strategy'> & Partial<ResourceDef>;

function apps(input: AppsInput): ResourceDef {
  return {
    group: 'apps', version: 'v1', versions: ['v1'], listKind: `${input.kind}List`, namespaced: true, categories: ['all'],
    verbs: [...allVerbs], subresources: { status: true, scale: workloadScale }, strategicMerge: true, age: false,
    schema: looseSchema, ...input,
  };
}

export function appsResources(): ResourceDef[] {
  const age = ageColumn();
  return [
    apps({ resource: 'deployments', singular: 'deployment', kind: 'Deployment', shortNames: ['deploy'],
      columns: deploymentColumns(age), strategy: deploymentStrategy }),
    apps({ resource: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', shortNames: ['rs'],
      columns: replicaSetColumns(age), strategy: replicaSetStrategy, selectableFields: { 'status.replicas': integerField('status', 'replicas') } }),
    apps({ resource: 'daemonsets', singular: 'daemonset', kind: 'DaemonSet', shortNames: ['ds'],
      // DaemonSets have no scale subresource in Kubernetes: their size follows the nodes.
      subresources: { status: true }, columns: daemonSetColumns(age), strategy: daemonSetStrategy }),
    apps({ resource: 'statefulsets', singular: 'statefulset', kind: 'StatefulSet', shortNames: ['sts'],
      columns: statefulSetColumns(age), strategy: statefulSetStrategy }),
  ];
}
