// Table columns of apps/v1 workloads, following kube-apiserver's printers: deployments and statefulsets
// print READY as "ready/desired", replica sets and daemon sets print counts as integers.
import type { KubeObject } from '../../api/index.js';
import { formatLabelSelector, formatLabels, labelSelectorString } from './label-selector.js';
import { asArray, asNumber, asString, dig, isRecord } from './object-access.js';
import type { TableColumn } from './types.js';

/** Comma-joined container names and images of the pod template (CONTAINERS / IMAGES wide columns). */
function templateContainers(obj: KubeObject): { names: string; images: string } {
  const containers = asArray(dig(obj, 'spec', 'template', 'spec', 'containers')).filter(isRecord);
  return {
    names: containers.map((c) => asString(c.name)).join(','),
    images: containers.map((c) => asString(c.image)).join(','),
  };
}

const status = (obj: KubeObject, key: string): number => asNumber(dig(obj, 'status', key));
/** spec.replicas is defaulted to 1 on create, so an absent value means 1. */
const desired = (obj: KubeObject): number => asNumber(dig(obj, 'spec', 'replicas'), 1);

const containersColumn: TableColumn = {
  name: 'Containers', type: 'string', priority: 1, description: 'Names of each container in the template.',
  cell: (o) => templateContainers(o).names,
};
const imagesColumn: TableColumn = {
  name: 'Images', type: 'string', priority: 1, description: 'Images referenced by each container in the template.',
  cell: (o) => templateContainers(o).images,
};
const selectorColumn: TableColumn = {
  name: 'Selector', type: 'string', priority: 1, description: 'Label selector of the pods the object manages.',
  cell: (o) => formatLabelSelector(dig(o, 'spec', 'selector')),
};

export function deploymentColumns(age: TableColumn): TableColumn[] {
  return [
    { name: 'Ready', type: 'string', description: 'Ready pods out of desired pods.', cell: (o) => `${status(o, 'readyReplicas')}/${desired(o)}` },
    { name: 'Up-to-date', type: 'string', description: 'Pods that run the current template.', cell: (o) => status(o, 'updatedReplicas') },
    { name: 'Available', type: 'string', description: 'Pods available for at least minReadySeconds.', cell: (o) => status(o, 'availableReplicas') },
    age,
    containersColumn,
    imagesColumn,
    // Deployments print the selector without the "<none>" placeholder, unlike the other workloads.
    { ...selectorColumn, cell: (o) => labelSelectorString(dig(o, 'spec', 'selector')) },
  ];
}

export function replicaSetColumns(age: TableColumn): TableColumn[] {
  return [
    { name: 'Desired', type: 'integer', description: 'Desired number of pods.', cell: (o) => desired(o) },
    { name: 'Current', type: 'integer', description: 'Pods currently managed.', cell: (o) => status(o, 'replicas') },
    { name: 'Ready', type: 'integer', description: 'Pods that are ready.', cell: (o) => status(o, 'readyReplicas') },
    age,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ];
}

export function daemonSetColumns(age: TableColumn): TableColumn[] {
  return [
    { name: 'Desired', type: 'integer', description: 'Nodes that should run the daemon pod.', cell: (o) => status(o, 'desiredNumberScheduled') },
    { name: 'Current', type: 'integer', description: 'Nodes running at least one daemon pod.', cell: (o) => status(o, 'currentNumberScheduled') },
    { name: 'Ready', type: 'integer', description: 'Nodes whose daemon pod is ready.', cell: (o) => status(o, 'numberReady') },
    { name: 'Up-to-date', type: 'integer', description: 'Nodes running the current template.', cell: (o) => status(o, 'updatedNumberScheduled') },
    { name: 'Available', type: 'integer', description: 'Nodes whose daemon pod is available.', cell: (o) => status(o, 'numberAvailable') },
    { name: 'Node Selector', type: 'string', description: 'Node selector of the pod template.', cell: (o) => formatLabels(dig(o, 'spec', 'template', 'spec', 'nodeSelector')) },
    age,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ];
}

export function statefulSetColumns(age: TableColumn): TableColumn[] {
  return [
    { name: 'Ready', type: 'string', description: 'Ready pods out of desired pods.', cell: (o) => `${status(o, 'readyReplicas')}/${desired(o)}` },
    age,
    containersColumn,
    imagesColumn,
  ];
}
