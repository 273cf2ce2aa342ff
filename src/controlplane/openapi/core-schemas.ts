// The core/v1 kinds we serve (and pod status), with Kubernetes' schema names, list keys and patch
// strategies. Descriptions are ours and short; only top-level fields are complete enough for explain.
import {
  atomicList, bool, coreName, int, intOrString, keyedList, kindSchema, mapList, mergedStringSet, metaName, obj,
  quantityMap, ref, str, stringList, stringMap, time, type Schema,
} from './schema-builders.js';

const v1 = (kind: string) => ({ group: '', version: 'v1', kind });
const leaf = (): Schema => obj();
const conditions = (item: string): Schema => keyedList(item, ['type'], { description: 'Latest observations of the object state.' });
const condition = (required = ['type', 'status']): Schema => obj({
  lastHeartbeatTime: time(), lastProbeTime: time(), lastTransitionTime: time(), message: str(), reason: str(), status: str(), type: str(),
}, { required });

const podStatus: Schema = obj({
  conditions: conditions(coreName('PodCondition')),
  containerStatuses: atomicList(ref(coreName('ContainerStatus'))),
  ephemeralContainerStatuses: atomicList(ref(coreName('ContainerStatus'))),
  hostIP: str(),
  hostIPs: {
    type: 'array', items: ref(coreName('HostIP')),
    'x-kubernetes-list-type': 'atomic', 'x-kubernetes-patch-merge-key': 'ip', 'x-kubernetes-patch-strategy': 'merge',
  },
  initContainerStatuses: atomicList(ref(coreName('ContainerStatus'))),
  message: str(), nominatedNodeName: str(),
  phase: str('Pending, Running, Succeeded, Failed or Unknown.'),
  podIP: str(),
  podIPs: keyedList(coreName('PodIP'), ['ip']),
  qosClass: str(), reason: str(),
  resourceClaimStatuses: keyedList(coreName('PodResourceClaimStatus'), ['name'], { retainKeys: true }),
  startTime: time(),
}, { description: 'Most recently observed status of the pod.' });

const containerStatus: Schema = obj({
  allocatedResources: quantityMap(),
  allocatedResourcesStatus: keyedList(coreName('ResourceStatus'), ['name']),
  containerID: str(), image: str(), imageID: str(),
  lastState: ref(coreName('ContainerState')), name: str(), ready: bool(),
  resources: ref(coreName('ResourceRequirements')), restartCount: int(), started: bool(),
  state: ref(coreName('ContainerState')),
  user: obj({ linux: obj({ supplementalGroups: atomicList({ type: 'integer', format: 'int64' }) }) }),
  volumeMounts: keyedList(coreName('VolumeMountStatus'), ['mountPath']),
}, { required: ['name', 'ready', 'restartCount', 'image', 'imageID'] });

const nodeStatus: Schema = obj({
  addresses: conditions(coreName('NodeAddress')),
  allocatable: quantityMap('Resources available for scheduling.'),
  capacity: quantityMap('Total resources of the node.'),
  conditions: conditions(coreName('NodeCondition')),
  config: obj({ active: leaf(), assigned: leaf(), lastKnownGood: leaf() }),
  daemonEndpoints: obj({ kubeletEndpoint: leaf() }),
  features: leaf(),
  images: atomicList(obj({ names: stringList(), sizeBytes: int('int64') })),
  nodeInfo: leaf(),
  phase: str(),
  runtimeHandlers: atomicList(obj({ features: leaf(), name: str() })),
  volumesAttached: atomicList(leaf()),
  volumesInUse: stringList(),
}, { description: 'Most recently observed status of the node.' });

const serviceSpec: Schema = obj({
  allocateLoadBalancerNodePorts: bool(), clusterIP: str(), clusterIPs: stringList(), externalIPs: stringList(),
  externalName: str(), externalTrafficPolicy: str(), healthCheckNodePort: int(), internalTrafficPolicy: str(),
  ipFamilies: stringList(), ipFamilyPolicy: str(), loadBalancerClass: str(), loadBalancerIP: str(),
  loadBalancerSourceRanges: stringList(),
  ports: keyedList(coreName('ServicePort'), ['port', 'protocol'], { description: 'Ports exposed by the service.' }),
  publishNotReadyAddresses: bool(),
  selector: stringMap('Pods with these labels receive the traffic.', { 'x-kubernetes-map-type': 'atomic' }),
  sessionAffinity: str(), sessionAffinityConfig: obj({ clientIP: leaf() }), trafficDistribution: str(),
  type: str('ClusterIP, NodePort, LoadBalancer or ExternalName.'),
});

const event = kindSchema(v1('Event'), 'A report of an event somewhere in the cluster.', {
  action: str(), count: int(), eventTime: { type: 'string', format: 'date-time' }, firstTimestamp: time(),
  involvedObject: ref(coreName('ObjectReference'), 'The object this event is about.'), lastTimestamp: time(),
  message: str(), reason: str(), related: ref(coreName('ObjectReference')), reportingComponent: str(),
  reportingInstance: str(), series: leaf(), source: obj({ component: str(), host: str() }), type: str('Normal or Warning.'),
}, { required: ['metadata', 'involvedObject'] });

/** core/v1 kinds and their status types, keyed by full name. */
export const coreSchemas: Readonly<Record<string, Schema>> = {
  [coreName('Pod')]: kindSchema(v1('Pod'), 'A collection of containers that run on a host.', {
    spec: ref(coreName('PodSpec'), 'Desired behaviour of the pod.'), status: ref(coreName('PodStatus'), 'Observed status of the pod.'),
  }),
  [coreName('PodStatus')]: podStatus,
  [coreName('PodCondition')]: condition(),
  [coreName('PodIP')]: obj({ ip: str() }, { required: ['ip'] }),
  [coreName('HostIP')]: obj({ ip: str() }, { required: ['ip'] }),
  [coreName('PodResourceClaimStatus')]: obj({ name: str(), resourceClaimName: str() }, { required: ['name'] }),
  [coreName('ContainerStatus')]: containerStatus,
  [coreName('ContainerState')]: obj({ running: leaf(), terminated: leaf(), waiting: leaf() }),
  [coreName('ResourceStatus')]: obj({ name: str(), resources: mapList(coreName('ResourceHealth'), ['resourceID']) }, { required: ['name'] }),
  [coreName('ResourceHealth')]: obj({ health: str(), resourceID: str() }, { required: ['resourceID'] }),
  [coreName('VolumeMountStatus')]: obj({ mountPath: str(), name: str(), readOnly: bool(), recursiveReadOnly: str() }, { required: ['name', 'mountPath'] }),
  [coreName('Node')]: kindSchema(v1('Node'), 'A worker node of the cluster; edge nodes carry node-role.kubernetes.io/edge.', {
    spec: obj({
      configSource: leaf(), externalID: str(), podCIDR: str(), podCIDRs: mergedStringSet(), providerID: str(),
      taints: atomicList(ref(coreName('Taint')), 'Taints repel pods that do not tolerate them.'), unschedulable: bool(),
    }, { description: 'Desired behaviour of the node.' }),
    status: ref(coreName('NodeStatus'), 'Observed status of the node.'),
  }),
  [coreName('NodeStatus')]: nodeStatus,
  [coreName('NodeCondition')]: condition(),
  [coreName('NodeAddress')]: obj({ address: str(), type: str() }, { required: ['type', 'address'] }),
  [coreName('Taint')]: obj({ effect: str(), key: str(), timeAdded: time(), value: str() }, { required: ['key', 'effect'] }),
  [coreName('Namespace')]: kindSchema(v1('Namespace'), 'A scope for names.', {
    spec: obj({ finalizers: stringList() }, { description: 'Finalizers of the namespace.' }),
    status: obj({ conditions: conditions(coreName('NamespaceCondition')), phase: str('Active or Terminating.') }),
  }),
  [coreName('NamespaceCondition')]: condition(),
  [coreName('ConfigMap')]: kindSchema(v1('ConfigMap'), 'Configuration data for pods to consume.', {
    binaryData: { type: 'object', additionalProperties: { type: 'string', format: 'byte' } },
    data: stringMap('Configuration data.'), immutable: bool(),
  }),
  [coreName('Secret')]: kindSchema(v1('Secret'), 'Secret data of a certain type.', {
    data: { type: 'object', additionalProperties: { type: 'string', format: 'byte' }, description: 'Base64-encoded secret data.' },
    immutable: bool(), stringData: stringMap('Write-only plain-text data, merged into data.'), type: str(),
  }),
  [coreName('Service')]: kindSchema(v1('Service'), 'A named abstraction of a software service.', {
    spec: ref(coreName('ServiceSpec'), 'Desired behaviour of the service.'),
    status: obj({
      conditions: keyedList(metaName('Condition'), ['type']),
      loadBalancer: obj({ ingress: atomicList(obj({ hostname: str(), ip: str(), ipMode: str(), ports: atomicList(leaf()) })) }),
    }, { description: 'Observed status of the service.' }),
  }),
  [coreName('ServiceSpec')]: serviceSpec,
  [coreName('ServicePort')]: obj({
    appProtocol: str(), name: str(), nodePort: int(), port: int(), protocol: str(), targetPort: intOrString(),
  }, { required: ['port'] }),
  [coreName('Endpoints')]: kindSchema(v1('Endpoints'), 'The endpoints that implement a service.', {
    subsets: atomicList(ref(coreName('EndpointSubset')), 'Sets of addresses and ports.'),
  }),
  [coreName('EndpointSubset')]: obj({
    addresses: atomicList(ref(coreName('EndpointAddress'))), notReadyAddresses: atomicList(ref(coreName('EndpointAddress'))),
    ports: atomicList(obj({ appProtocol: str(), name: str(), port: int(), protocol: str() })),
  }),
  [coreName('EndpointAddress')]: obj({ hostname: str(), ip: str(), nodeName: str(), targetRef: ref(coreName('ObjectReference')) }, { required: ['ip'] }),
  [coreName('Event')]: event,
  [coreName('ObjectReference')]: obj({
    apiVersion: str(), fieldPath: str(), kind: str(), name: str(), namespace: str(), resourceVersion: str(), uid: str(),
  }, { 'x-kubernetes-map-type': 'atomic' }),
  [coreName('ServiceAccount')]: kindSchema(v1('ServiceAccount'), 'An identity for processes that run in a pod.', {
    automountServiceAccountToken: bool(),
    imagePullSecrets: atomicList(ref(coreName('LocalObjectReference'))),
    secrets: keyedList(coreName('ObjectReference'), ['name']),
  }),
  [coreName('Binding')]: kindSchema(v1('Binding'), 'Binds a pod to a node (pods/binding).', {
    target: ref(coreName('ObjectReference'), 'The node to bind to.'),
  }),
  [coreName('PersistentVolumeClaim')]: kindSchema(v1('PersistentVolumeClaim'), "A user's request for a persistent volume.", {
    spec: ref(coreName('PersistentVolumeClaimSpec')),
    status: obj({ accessModes: stringList(), capacity: quantityMap(), conditions: conditions(coreName('PersistentVolumeClaimCondition')), phase: str() }),
  }),
  [coreName('PersistentVolumeClaimCondition')]: condition(),
  'io.k8s.api.policy.v1.Eviction': kindSchema({ group: 'policy', version: 'v1', kind: 'Eviction' }, 'Evicts a pod (pods/eviction).', {
    deleteOptions: ref(metaName('DeleteOptions')),
  }),
};
