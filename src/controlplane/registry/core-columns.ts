// Table columns of core/v1 kinds (other than pods), coordination leases and CRDs, following
// kube-apiserver's printers.
import type { KubeObject } from '../../api/index.js';
import { parseTimestamp } from './age.js';
import { formatLabels } from './label-selector.js';
import { asArray, asNumber, asString, dig, isRecord, type JsonRecord } from './object-access.js';
import type { TableColumn } from './types.js';

const records = (v: unknown): JsonRecord[] => asArray(v).filter(isRecord);
const count = (v: unknown): number => (isRecord(v) ? Object.keys(v).length : 0);

function nodeStatus(node: KubeObject): string {
  const ready = records(dig(node, 'status', 'conditions')).find((c) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (dig(node, 'spec', 'unschedulable') === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** Roles come from node-role.kubernetes.io/<role> label keys and the legacy kubernetes.io/role value. */
function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith('node-role.kubernetes.io/')) {
      const role = key.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (key === 'kubernetes.io/role' && value) {
      roles.add(value);
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function nodeAddress(node: KubeObject, type: string): string {
  return asString(records(dig(node, 'status', 'addresses')).find((a) => a.type === type)?.address) || '<none>';
}

const nodeInfo = (node: KubeObject, key: string): string => asString(dig(node, 'status', 'nodeInfo', key));

export function nodeColumns(age: TableColumn): TableColumn[] {
  return [
    { name: 'Status', type: 'string', description: 'Readiness of the node, and whether it takes new pods.', cell: nodeStatus },
    { name: 'Roles', type: 'string', description: 'Roles of the node, from node-role labels.', cell: nodeRoles },
    age,
    { name: 'Version', type: 'string', description: 'Kubelet version the node reports.', cell: (o) => nodeInfo(o, 'kubeletVersion') },
    { name: 'Internal-IP', type: 'string', priority: 1, description: 'First InternalIP address.', cell: (o) => nodeAddress(o, 'InternalIP') },
    { name: 'External-IP', type: 'string', priority: 1, description: 'First ExternalIP address.', cell: (o) => nodeAddress(o, 'ExternalIP') },
    { name: 'OS-Image', type: 'string', priority: 1, description: 'Operating system image.', cell: (o) => nodeInfo(o, 'osImage') || '<unknown>' },
    { name: 'Kernel-Version', type: 'string', priority: 1, description: 'Kernel version.', cell: (o) => nodeInfo(o, 'kernelVersion') || '<unknown>' },
    { name: 'Container-Runtime', type: 'string', priority: 1, description: 'Container runtime and version.', cell: (o) => nodeInfo(o, 'containerRuntimeVersion') || '<unknown>' },
  ];
}

function serviceExternalIP(svc: KubeObject): string {
  const type = asString(dig(svc, 'spec', 'type'));
  const externalIPs = asArray(dig(svc, 'spec', 'externalIPs')).map(asString);
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = records(dig(svc, 'status', 'loadBalancer', 'ingress'))
        .map((i) => asString(i.ip) || asString(i.hostname)).filter((s) => s !== '');
      const all = [...[...new Set(ingress)].sort(), ...externalIPs];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return asString(dig(svc, 'spec', 'externalName'));
    default:
      return '<unknown>';
  }
}

function servicePorts(svc: KubeObject): string {
  const ports = records(dig(svc, 'spec', 'ports')).map((p) => {
    const protocol = asString(p.protocol) || 'TCP';
    const nodePort = asNumber(p.nodePort);
    return nodePort > 0 ? `${asNumber(p.port)}:${nodePort}/${protocol}` : `${asNumber(p.port)}/${protocol}`;
  });
  return ports.length > 0 ? ports.join(',') : '<none>';
}

export function serviceColumns(age: TableColumn): TableColumn[] {
  return [
    { name: 'Type', type: 'string', description: 'How the service is exposed.', cell: (o) => asString(dig(o, 'spec', 'type')) },
    { name: 'Cluster-IP', type: 'string', description: 'The service cluster IP.', cell: (o) => asString(asArray(dig(o, 'spec', 'clusterIPs'))[0]) || asString(dig(o, 'spec', 'clusterIP')) || '<none>' },
    { name: 'External-IP', type: 'string', description: 'External addresses of the service.', cell: serviceExternalIP },
    { name: 'Port(s)', type: 'string', description: 'Service ports.', cell: servicePorts },
    age,
    { name: 'Selector', type: 'string', priority: 1, description: 'Labels of the pods the service routes to.', cell: (o) => formatLabels(dig(o, 'spec', 'selector')) },
  ];
}

/** Up to three "ip:port" endpoints, then " + N more...". */
function formatEndpoints(ep: KubeObject): string {
  const subsets = records(ep.subsets);
  if (subsets.length === 0) return '<none>';
  const shown: string[] = [];
  let total = 0;
  for (const subset of subsets) {
    const ips = records(subset.addresses).map((a) => asString(a.ip));
    const ports = records(subset.ports);
    const entries = ports.length === 0 ? ips : ports.flatMap((p) =>
      ips.map((ip) => (ip.includes(':') ? `[${ip}]:${asNumber(p.port)}` : `${ip}:${asNumber(p.port)}`)));
    total += entries.length;
    for (const e of entries) if (shown.length < 3) shown.push(e);
  }
  return total > 3 ? `${shown.join(',')} + ${total - 3} more...` : shown.join(',');
}

export function endpointsColumns(age: TableColumn): TableColumn[] {
  return [{ name: 'Endpoints', type: 'string', description: 'Ready endpoint addresses.', cell: formatEndpoints }, age];
}

export function configMapColumns(age: TableColumn): TableColumn[] {
  return [{ name: 'Data', type: 'string', description: 'Number of data and binaryData keys.', cell: (o) => count(o.data) + count(o.binaryData) }, age];
}

export function secretColumns(age: TableColumn): TableColumn[] {
  return [
    { name: 'Type', type: 'string', description: 'Type of the secret.', cell: (o) => asString(o.type) },
    { name: 'Data', type: 'string', description: 'Number of data keys.', cell: (o) => count(o.data) },
    age,
  ];
}

export function namespaceColumns(age: TableColumn): TableColumn[] {
  return [{ name: 'Status', type: 'string', description: 'Phase of the namespace.', cell: (o) => asString(dig(o, 'status', 'phase')) }, age];
}

export function serviceAccountColumns(age: TableColumn): TableColumn[] {
  return [{ name: 'Secrets', type: 'string', description: 'Number of secrets of the service account.', cell: (o) => asArray(o.secrets).length }, age];
}

export function leaseColumns(age: TableColumn): TableColumn[] {
  return [{ name: 'Holder', type: 'string', description: 'Identity of the lease holder.', cell: (o) => asString(dig(o, 'spec', 'holderIdentity')) }, age];
}

/** CRDs print the creation time itself, not an age. */
export function crdColumns(): TableColumn[] {
  return [{
    name: 'Created At', type: 'date', description: 'When the definition was created.',
    cell: (o) => {
      const at = parseTimestamp(o.metadata.creationTimestamp);
      return at ? at.toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
    },
  }];
}
