// PodSpec and everything under it that strategic merge patch descends into. Field names, list keys and
// patch strategies are those of k8s.io/api core/v1. Leaf objects (all scalar fields) are left open:
// kubectl diffs their scalars without needing a schema, so only maps and lists must be declared.
import {
  atomicList, bool, coreName, int, intOrString, keyedList, mapList, metaName, obj, quantityMap, ref, str,
  stringList, stringMap, type Schema,
} from './schema-builders.js';

const leaf = (description?: string, extra: Schema = {}): Schema => obj(undefined, description ? { ...extra, description } : extra);
const atomicLeaf = (description?: string): Schema => leaf(description, { 'x-kubernetes-map-type': 'atomic' });

function container(description: string): Schema {
  return obj({
    args: stringList('Arguments to the entrypoint.'),
    command: stringList('Entrypoint array; the image ENTRYPOINT is used when empty.'),
    env: keyedList(coreName('EnvVar'), ['name'], { description: 'Environment variables.' }),
    envFrom: atomicList(ref(coreName('EnvFromSource')), 'Sources of environment variables.'),
    image: str('Container image name.'),
    imagePullPolicy: str('Always, Never or IfNotPresent.'),
    lifecycle: ref(coreName('Lifecycle')),
    livenessProbe: ref(coreName('Probe')),
    name: str('Name of the container, unique within the pod.'),
    ports: keyedList(coreName('ContainerPort'), ['containerPort', 'protocol'], { description: 'Ports to expose.' }),
    readinessProbe: ref(coreName('Probe')),
    resizePolicy: atomicList(leaf()),
    resources: ref(coreName('ResourceRequirements'), 'Compute resources required by this container.'),
    restartPolicy: str(),
    securityContext: ref(coreName('SecurityContext')),
    startupProbe: ref(coreName('Probe')),
    stdin: bool(), stdinOnce: bool(), tty: bool(),
    terminationMessagePath: str(), terminationMessagePolicy: str(),
    volumeDevices: keyedList(coreName('VolumeDevice'), ['devicePath']),
    volumeMounts: keyedList(coreName('VolumeMount'), ['mountPath'], { description: 'Volumes to mount into the filesystem.' }),
    workingDir: str(),
  }, { required: ['name'], description });
}

const podSpec: Schema = obj({
  activeDeadlineSeconds: int('int64'),
  affinity: ref(coreName('Affinity'), 'Scheduling constraints.'),
  automountServiceAccountToken: bool(),
  containers: keyedList(coreName('Container'), ['name'], { description: 'Containers of the pod; at least one.' }),
  dnsConfig: ref(coreName('PodDNSConfig')),
  dnsPolicy: str(),
  enableServiceLinks: bool(),
  ephemeralContainers: keyedList(coreName('EphemeralContainer'), ['name']),
  hostAliases: keyedList(coreName('HostAlias'), ['ip']),
  hostIPC: bool(), hostNetwork: bool('Use the host network namespace.'), hostPID: bool(), hostUsers: bool(),
  hostname: str(),
  imagePullSecrets: keyedList(coreName('LocalObjectReference'), ['name']),
  initContainers: keyedList(coreName('Container'), ['name'], { description: 'Containers run to completion, in order, before the app containers.' }),
  nodeName: str('Node the pod is bound to.'),
  nodeSelector: stringMap('Labels a node must carry for the pod to be scheduled there.', { 'x-kubernetes-map-type': 'atomic' }),
  os: leaf(),
  overhead: quantityMap(),
  preemptionPolicy: str(), priority: int('int32'), priorityClassName: str(),
  readinessGates: atomicList(leaf()),
  resourceClaims: keyedList(coreName('PodResourceClaim'), ['name'], { retainKeys: true }),
  resources: ref(coreName('ResourceRequirements')),
  restartPolicy: str('Always, OnFailure or Never.'),
  runtimeClassName: str(), schedulerName: str(),
  schedulingGates: keyedList(coreName('PodSchedulingGate'), ['name']),
  securityContext: ref(coreName('PodSecurityContext')),
  serviceAccount: str(), serviceAccountName: str(),
  setHostnameAsFQDN: bool(), shareProcessNamespace: bool(), subdomain: str(),
  terminationGracePeriodSeconds: int('int64'),
  tolerations: atomicList(ref(coreName('Toleration')), 'Taints the pod tolerates.'),
  topologySpreadConstraints: keyedList(coreName('TopologySpreadConstraint'), ['topologyKey', 'whenUnsatisfiable']),
  volumes: keyedList(coreName('Volume'), ['name'], { retainKeys: true, description: 'Volumes the containers can mount.' }),
}, { required: ['containers'], description: 'Specification of a pod.' });

/** Volume sources that only hold scalars (and so need no inner schema) or are rarely used. */
const plainVolumeSources = [
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'emptyDir', 'fc', 'flexVolume', 'flocker',
  'gcePersistentDisk', 'gitRepo', 'glusterfs', 'hostPath', 'image', 'iscsi', 'nfs', 'persistentVolumeClaim',
  'photonPersistentDisk', 'portworxVolume', 'quobyte', 'rbd', 'scaleIO', 'storageos', 'vsphereVolume',
] as const;

const volume: Schema = obj({
  name: str('Volume name, unique within the pod.'),
  ...Object.fromEntries(plainVolumeSources.map((source) => [source, leaf()])),
  configMap: ref(coreName('ConfigMapVolumeSource')),
  csi: obj({ nodePublishSecretRef: ref(coreName('LocalObjectReference')), volumeAttributes: stringMap() }),
  downwardAPI: ref(coreName('DownwardAPIVolumeSource')),
  ephemeral: obj({ volumeClaimTemplate: ref(coreName('PersistentVolumeClaimTemplate')) }),
  projected: ref(coreName('ProjectedVolumeSource')),
  secret: ref(coreName('SecretVolumeSource')),
}, { required: ['name'] });

const keyItems = { items: atomicList(ref(coreName('KeyToPath'))) };
const downwardItems = { items: atomicList(ref(coreName('DownwardAPIVolumeFile'))) };
const probeHandlers = {
  exec: ref(coreName('ExecAction')),
  grpc: leaf(),
  httpGet: ref(coreName('HTTPGetAction')),
  tcpSocket: obj({ host: str(), port: intOrString() }),
};
const affinityTerms = (term: string, weighted: string): Schema => obj({
  preferredDuringSchedulingIgnoredDuringExecution: atomicList(ref(coreName(weighted))),
  requiredDuringSchedulingIgnoredDuringExecution: atomicList(ref(coreName(term))),
});

/** Schemas under io.k8s.api.core.v1 reachable from PodSpec, keyed by full name. */
export const podSpecSchemas: Readonly<Record<string, Schema>> = {
  [coreName('PodSpec')]: podSpec,
  [coreName('PodTemplateSpec')]: obj({ metadata: ref(metaName('ObjectMeta')), spec: ref(coreName('PodSpec')) }, { description: 'Template of the pods a workload creates.' }),
  [coreName('Container')]: container('A single application container.'),
  [coreName('EphemeralContainer')]: container('A temporary container added to a running pod for debugging.'),
  [coreName('ContainerPort')]: obj({ containerPort: int('int32'), hostIP: str(), hostPort: int('int32'), name: str(), protocol: str() }, { required: ['containerPort'] }),
  [coreName('EnvVar')]: obj({ name: str(), value: str(), valueFrom: ref(coreName('EnvVarSource')) }, { required: ['name'] }),
  [coreName('EnvVarSource')]: obj({ configMapKeyRef: atomicLeaf(), fieldRef: atomicLeaf(), resourceFieldRef: atomicLeaf(), secretKeyRef: atomicLeaf() }),
  [coreName('EnvFromSource')]: obj({ configMapRef: leaf(), prefix: str(), secretRef: leaf() }),
  [coreName('ResourceRequirements')]: obj({
    claims: mapList(coreName('ResourceClaim'), ['name']), limits: quantityMap('Maximum amount of compute resources.'),
    requests: quantityMap('Minimum amount of compute resources.'),
  }),
  [coreName('ResourceClaim')]: obj({ name: str(), request: str() }, { required: ['name'] }),
  [coreName('VolumeMount')]: obj({ mountPath: str(), name: str(), readOnly: bool(), subPath: str() }, { required: ['name', 'mountPath'] }),
  [coreName('VolumeDevice')]: obj({ devicePath: str(), name: str() }, { required: ['name', 'devicePath'] }),
  [coreName('Probe')]: obj({
    ...probeHandlers, failureThreshold: int(), initialDelaySeconds: int(), periodSeconds: int(), successThreshold: int(),
    terminationGracePeriodSeconds: int('int64'), timeoutSeconds: int(),
  }),
  [coreName('ExecAction')]: obj({ command: stringList() }),
  [coreName('HTTPGetAction')]: obj({ host: str(), httpHeaders: atomicList(leaf()), path: str(), port: intOrString(), scheme: str() }, { required: ['port'] }),
  [coreName('Lifecycle')]: obj({ postStart: ref(coreName('LifecycleHandler')), preStop: ref(coreName('LifecycleHandler')) }),
  [coreName('LifecycleHandler')]: obj({ exec: probeHandlers.exec, httpGet: probeHandlers.httpGet, sleep: leaf(), tcpSocket: probeHandlers.tcpSocket }),
  [coreName('SecurityContext')]: obj({
    allowPrivilegeEscalation: bool(), appArmorProfile: leaf(), capabilities: obj({ add: stringList(), drop: stringList() }),
    privileged: bool(), procMount: str(), readOnlyRootFilesystem: bool(), runAsGroup: int('int64'), runAsNonRoot: bool(),
    runAsUser: int('int64'), seLinuxOptions: leaf(), seccompProfile: leaf(), windowsOptions: leaf(),
  }),
  [coreName('PodSecurityContext')]: obj({
    appArmorProfile: leaf(), fsGroup: int('int64'), fsGroupChangePolicy: str(), runAsGroup: int('int64'), runAsNonRoot: bool(),
    runAsUser: int('int64'), seLinuxOptions: leaf(), seccompProfile: leaf(),
    supplementalGroups: atomicList({ type: 'integer', format: 'int64' }), supplementalGroupsPolicy: str(),
    sysctls: atomicList(leaf()), windowsOptions: leaf(),
  }),
  [coreName('Affinity')]: obj({
    nodeAffinity: ref(coreName('NodeAffinity')), podAffinity: ref(coreName('PodAffinity')), podAntiAffinity: ref(coreName('PodAntiAffinity')),
  }),
  [coreName('NodeAffinity')]: obj({
    preferredDuringSchedulingIgnoredDuringExecution: atomicList(ref(coreName('PreferredSchedulingTerm'))),
    requiredDuringSchedulingIgnoredDuringExecution: ref(coreName('NodeSelector')),
  }),
  [coreName('NodeSelector')]: obj({ nodeSelectorTerms: atomicList(ref(coreName('NodeSelectorTerm'))) }, { 'x-kubernetes-map-type': 'atomic' }),
  [coreName('NodeSelectorTerm')]: obj({
    matchExpressions: atomicList(ref(coreName('NodeSelectorRequirement'))), matchFields: atomicList(ref(coreName('NodeSelectorRequirement'))),
  }, { 'x-kubernetes-map-type': 'atomic' }),
  [coreName('NodeSelectorRequirement')]: obj({ key: str(), operator: str(), values: stringList() }, { required: ['key', 'operator'] }),
  [coreName('PreferredSchedulingTerm')]: obj({ preference: ref(coreName('NodeSelectorTerm')), weight: int() }, { required: ['weight', 'preference'] }),
  [coreName('PodAffinity')]: affinityTerms('PodAffinityTerm', 'WeightedPodAffinityTerm'),
  [coreName('PodAntiAffinity')]: affinityTerms('PodAffinityTerm', 'WeightedPodAffinityTerm'),
  [coreName('PodAffinityTerm')]: obj({
    labelSelector: ref(metaName('LabelSelector')), matchLabelKeys: stringList(), mismatchLabelKeys: stringList(),
    namespaceSelector: ref(metaName('LabelSelector')), namespaces: stringList(), topologyKey: str(),
  }, { required: ['topologyKey'] }),
  [coreName('WeightedPodAffinityTerm')]: obj({ podAffinityTerm: ref(coreName('PodAffinityTerm')), weight: int() }, { required: ['weight', 'podAffinityTerm'] }),
  [coreName('Toleration')]: obj({ effect: str(), key: str(), operator: str(), tolerationSeconds: int('int64'), value: str() }),
  [coreName('HostAlias')]: obj({ hostnames: stringList(), ip: str() }, { required: ['ip'] }),
  [coreName('PodDNSConfig')]: obj({ nameservers: stringList(), options: atomicList(leaf()), searches: stringList() }),
  [coreName('TopologySpreadConstraint')]: obj({
    labelSelector: ref(metaName('LabelSelector')), matchLabelKeys: stringList(), maxSkew: int(), minDomains: int(),
    nodeAffinityPolicy: str(), nodeTaintsPolicy: str(), topologyKey: str(), whenUnsatisfiable: str(),
  }, { required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'] }),
  [coreName('LocalObjectReference')]: obj({ name: str() }, { 'x-kubernetes-map-type': 'atomic' }),
  [coreName('PodResourceClaim')]: obj({ name: str(), resourceClaimName: str(), resourceClaimTemplateName: str() }, { required: ['name'] }),
  [coreName('PodSchedulingGate')]: obj({ name: str() }, { required: ['name'] }),
  [coreName('Volume')]: volume,
  [coreName('KeyToPath')]: obj({ key: str(), mode: int(), path: str() }, { required: ['key', 'path'] }),
  [coreName('ConfigMapVolumeSource')]: obj({ ...keyItems, defaultMode: int(), name: str(), optional: bool() }),
  [coreName('SecretVolumeSource')]: obj({ ...keyItems, defaultMode: int(), optional: bool(), secretName: str() }),
  [coreName('DownwardAPIVolumeSource')]: obj({ ...downwardItems, defaultMode: int() }),
  [coreName('DownwardAPIVolumeFile')]: obj({ fieldRef: atomicLeaf(), mode: int(), path: str(), resourceFieldRef: atomicLeaf() }, { required: ['path'] }),
  [coreName('ProjectedVolumeSource')]: obj({ defaultMode: int(), sources: atomicList(ref(coreName('VolumeProjection'))) }),
  [coreName('VolumeProjection')]: obj({
    clusterTrustBundle: obj({ labelSelector: ref(metaName('LabelSelector')) }), configMap: obj(keyItems), downwardAPI: obj(downwardItems),
    secret: obj(keyItems), serviceAccountToken: leaf(),
  }),
  [coreName('PersistentVolumeClaimTemplate')]: obj({ metadata: ref(metaName('ObjectMeta')), spec: ref(coreName('PersistentVolumeClaimSpec')) }, { required: ['spec'] }),
  [coreName('PersistentVolumeClaimSpec')]: obj({
    accessModes: stringList(), dataSource: atomicLeaf(), dataSourceRef: leaf(),
    resources: obj({ limits: quantityMap(), requests: quantityMap() }), selector: ref(metaName('LabelSelector')),
    storageClassName: str(), volumeAttributesClassName: str(), volumeMode: str(), volumeName: str(),
  }),
};
