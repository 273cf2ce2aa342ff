// apps/v1 workloads, coordination/v1 Lease, autoscaling/v1 Scale and apiextensions/v1
// CustomResourceDefinition, with Kubernetes' schema names, list keys and patch strategies.
import {
  appsName, atomicList, bool, coreName, int, intOrString, keyedList, kindSchema, mapList, metaName, obj, ref, str,
  stringList, time, type Schema,
} from './schema-builders.js';

const apps = (kind: string) => ({ group: 'apps', version: 'v1', kind });
const apiextName = (type: string): string => `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.${type}`;

const condition: Schema = obj({
  lastTransitionTime: time(), lastUpdateTime: time(), message: str(), reason: str(), status: str(), type: str(),
}, { required: ['type', 'status'] });
const conditions = (item: string): Schema => keyedList(appsName(item), ['type'], { description: 'Latest observations of the workload state.' });
const selector = ref(metaName('LabelSelector'), 'Label query over the pods this workload owns.');
const template = ref(coreName('PodTemplateSpec'), 'Template of the pods this workload creates.');
const rollingUpdate = obj({ maxSurge: intOrString(), maxUnavailable: intOrString(), partition: int() });

const replicaCounts = {
  availableReplicas: int(), observedGeneration: int('int64'), readyReplicas: int(), replicas: int(),
  terminatingReplicas: int(),
};

const crdNames: Schema = obj({
  categories: stringList(), kind: str(), listKind: str(), plural: str(), shortNames: stringList(), singular: str(),
}, { required: ['plural', 'kind'] });

/** Kinds and types outside core/v1, keyed by full name. */
export const workloadSchemas: Readonly<Record<string, Schema>> = {
  [appsName('Deployment')]: kindSchema(apps('Deployment'), 'Declarative updates for pods and replica sets.', {
    spec: ref(appsName('DeploymentSpec'), 'Desired behaviour of the Deployment.'),
    status: ref(appsName('DeploymentStatus'), 'Most recently observed status of the Deployment.'),
  }),
  [appsName('DeploymentSpec')]: obj({
    minReadySeconds: int(), paused: bool(), progressDeadlineSeconds: int(), replicas: int(), revisionHistoryLimit: int(),
    selector,
    strategy: { ...ref(appsName('DeploymentStrategy')), 'x-kubernetes-patch-strategy': 'retainKeys' },
    template,
  }, { required: ['selector', 'template'] }),
  [appsName('DeploymentStrategy')]: obj({ rollingUpdate, type: str('Recreate or RollingUpdate.') }),
  [appsName('DeploymentStatus')]: obj({
    ...replicaCounts, collisionCount: int(), conditions: conditions('DeploymentCondition'), unavailableReplicas: int(),
    updatedReplicas: int(),
  }),
  [appsName('DeploymentCondition')]: condition,
  [appsName('ReplicaSet')]: kindSchema(apps('ReplicaSet'), 'Ensures that a number of pod replicas are running.', {
    spec: ref(appsName('ReplicaSetSpec'), 'Desired behaviour of the ReplicaSet.'),
    status: ref(appsName('ReplicaSetStatus'), 'Most recently observed status of the ReplicaSet.'),
  }),
  [appsName('ReplicaSetSpec')]: obj({ minReadySeconds: int(), replicas: int(), selector, template }, { required: ['selector'] }),
  [appsName('ReplicaSetStatus')]: obj({
    ...replicaCounts, conditions: conditions('ReplicaSetCondition'), fullyLabeledReplicas: int(),
  }, { required: ['replicas'] }),
  [appsName('ReplicaSetCondition')]: condition,
  [appsName('DaemonSet')]: kindSchema(apps('DaemonSet'), 'Runs a copy of a pod on every selected node.', {
    spec: ref(appsName('DaemonSetSpec'), 'Desired behaviour of the DaemonSet.'),
    status: ref(appsName('DaemonSetStatus'), 'Most recently observed status of the DaemonSet.'),
  }),
  [appsName('DaemonSetSpec')]: obj({
    minReadySeconds: int(), revisionHistoryLimit: int(), selector, template,
    updateStrategy: obj({ rollingUpdate, type: str('OnDelete or RollingUpdate.') }),
  }, { required: ['selector', 'template'] }),
  [appsName('DaemonSetStatus')]: obj({
    collisionCount: int(), conditions: conditions('DaemonSetCondition'), currentNumberScheduled: int(),
    desiredNumberScheduled: int(), numberAvailable: int(), numberMisscheduled: int(), numberReady: int(),
    numberUnavailable: int(), observedGeneration: int('int64'), updatedNumberScheduled: int(),
  }),
  [appsName('DaemonSetCondition')]: condition,
  [appsName('StatefulSet')]: kindSchema(apps('StatefulSet'), 'Pods with stable identities and ordered rollout.', {
    spec: ref(appsName('StatefulSetSpec'), 'Desired behaviour of the StatefulSet.'),
    status: ref(appsName('StatefulSetStatus'), 'Most recently observed status of the StatefulSet.'),
  }),
  [appsName('StatefulSetSpec')]: obj({
    minReadySeconds: int(), ordinals: obj({ start: int() }), persistentVolumeClaimRetentionPolicy: obj(),
    podManagementPolicy: str('OrderedReady or Parallel.'), replicas: int(), revisionHistoryLimit: int(), selector,
    serviceName: str(), template,
    updateStrategy: obj({ rollingUpdate, type: str('OnDelete or RollingUpdate.') }),
    volumeClaimTemplates: atomicList(ref(coreName('PersistentVolumeClaim'))),
  }, { required: ['selector', 'template'] }),
  [appsName('StatefulSetStatus')]: obj({
    ...replicaCounts, collisionCount: int(), conditions: conditions('StatefulSetCondition'), currentReplicas: int(),
    currentRevision: str(), updateRevision: str(), updatedReplicas: int(),
  }, { required: ['replicas'] }),
  [appsName('StatefulSetCondition')]: condition,
  'io.k8s.api.coordination.v1.Lease': kindSchema({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' }, 'A lease held by one holder, e.g. a node heartbeat.', {
    spec: obj({
      acquireTime: time(), holderIdentity: str(), leaseDurationSeconds: int(), leaseTransitions: int(),
      preferredHolder: str(), renewTime: time(), strategy: str(),
    }, { description: 'Specification of the Lease.' }),
  }),
  'io.k8s.api.autoscaling.v1.Scale': kindSchema({ group: 'autoscaling', version: 'v1', kind: 'Scale' }, 'The scale subresource of a workload.', {
    spec: obj({ replicas: int() }, { description: 'Desired number of replicas.' }),
    status: obj({ replicas: int(), selector: str() }, { required: ['replicas'], description: 'Observed number of replicas.' }),
  }),
  [apiextName('CustomResourceDefinition')]: kindSchema(
    { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' },
    'Defines a custom resource served by the API server.',
    {
      spec: obj({
        conversion: obj({ strategy: str(), webhook: obj({ clientConfig: obj({ service: obj() }), conversionReviewVersions: stringList() }) }),
        group: str(), names: ref(apiextName('CustomResourceDefinitionNames')), preserveUnknownFields: bool(),
        scope: str('Namespaced or Cluster.'),
        versions: atomicList(obj({
          additionalPrinterColumns: atomicList(obj()), deprecated: bool(), deprecationWarning: str(), name: str(),
          schema: obj({ openAPIV3Schema: obj(undefined, { 'x-kubernetes-preserve-unknown-fields': true }) }),
          selectableFields: atomicList(obj()), served: bool(), storage: bool(),
          subresources: obj({ scale: obj(), status: obj() }),
        }, { required: ['name', 'served', 'storage'] })),
      }, { required: ['group', 'names', 'scope', 'versions'], description: 'Specification of the custom resource.' }),
      status: obj({
        acceptedNames: ref(apiextName('CustomResourceDefinitionNames')),
        conditions: mapList(apiextName('CustomResourceDefinitionCondition'), ['type']),
        storedVersions: stringList(),
      }),
    },
    { required: ['spec'] },
  ),
  [apiextName('CustomResourceDefinitionNames')]: crdNames,
  [apiextName('CustomResourceDefinitionCondition')]: obj({
    lastTransitionTime: time(), message: str(), reason: str(), status: str(), type: str(),
  }, { required: ['type', 'status'] }),
};
