// apiVersion and kind of each wire resource type (route.resource's <type> segment). Objects in
// `content` may arrive without their TypeMeta (Go's typed clients drop it), so both ends fill it in
// from this one table.

export interface TypeMeta {
  apiVersion: string;
  kind: string;
}

export const WireTypeKinds: Readonly<Record<string, TypeMeta>> = {
  pod: { apiVersion: 'v1', kind: 'Pod' },
  configmap: { apiVersion: 'v1', kind: 'ConfigMap' },
  secret: { apiVersion: 'v1', kind: 'Secret' },
  node: { apiVersion: 'v1', kind: 'Node' },
  service: { apiVersion: 'v1', kind: 'Service' },
  endpoints: { apiVersion: 'v1', kind: 'Endpoints' },
  persistentvolume: { apiVersion: 'v1', kind: 'PersistentVolume' },
  persistentvolumeclaim: { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  volumeattachment: { apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment' },
  lease: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' },
  device: { apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'Device' },
  devicemodel: { apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'DeviceModel' },
  rule: { apiVersion: 'rules.kubeedge.io/v1', kind: 'Rule' },
  ruleendpoint: { apiVersion: 'rules.kubeedge.io/v1', kind: 'RuleEndpoint' },
};

/** The TypeMeta of a wire type, or undefined for types that are not objects (podstatus, membership…). */
export function wireTypeKind(type: string): TypeMeta | undefined {
  return Object.hasOwn(WireTypeKinds, type) ? WireTypeKinds[type] : undefined;
}
