import { ProtocolError } from './errors.js';

// Resource strings in route.resource. Inside the cloud: node/<node>/<ns>/<type>[/<name>]; on the
// wire cloudhub strips the node/<node>/ prefix, leaving <ns>/<type>[/<name>]. Cluster-scoped
// objects use the namespace "null". Some resources are fixed paths instead (node/connection,
// membership/detail, device/<ns>/<name>/twin/edge_updated, k8s/ca.crt).

/** The literal namespace KubeEdge writes for cluster-scoped objects. */
export const NULL_NAMESPACE = 'null';
export const RESOURCE_SEP = '/';

/** Object types in the <type> segment. */
export const ResourceTypes = {
  pod: 'pod',
  podlist: 'podlist',
  podstatus: 'podstatus',
  podpatch: 'podpatch',
  node: 'node',
  nodestatus: 'nodestatus',
  nodepatch: 'nodepatch',
  configmap: 'configmap',
  secret: 'secret',
  event: 'event',
  lease: 'lease',
  service: 'service',
  endpoints: 'endpoints',
  persistentvolume: 'persistentvolume',
  persistentvolumeclaim: 'persistentvolumeclaim',
  volumeattachment: 'volumeattachment',
  serviceaccounttoken: 'serviceaccounttoken',
  serviceaccountaccess: 'serviceaccountaccess',
  certificatesigningrequest: 'certificatesigningrequest',
  device: 'device',
  devicemodel: 'devicemodel',
  membership: 'membership',
  twin: 'twin',
  rule: 'rule',
  ruleendpoint: 'ruleendpoint',
  rulestatus: 'rulestatus',
} as const;
export type ResourceType = (typeof ResourceTypes)[keyof typeof ResourceTypes];

/** Whole resource strings with a fixed meaning. */
export const FixedResources = {
  /** Cloud connection events inside edgecore (operation "connect"). */
  nodeConnection: 'node/connection',
  membershipDetail: 'membership/detail',
  twinEdgeUpdated: 'twin/edge_updated',
  twinCloudUpdated: 'twin/cloud_updated',
  stateUpdate: 'state/update',
  k8sCA: 'k8s/ca.crt',
} as const;

/** A wire resource: an object (`ns/type/name`) or a list/collection (`ns/type`). */
export type WireResource =
  | { kind: 'object'; namespace: string | null; type: string; name: string }
  | { kind: 'list'; namespace: string | null; type: string };

/** Formats `<ns>/<type>[/<name>]`, writing "null" for a null namespace. */
export function formatResource(r: { namespace: string | null; type: string; name?: string | null }): string {
  checkSegment(r.type, 'type');
  const ns = r.namespace ?? NULL_NAMESPACE;
  checkSegment(ns, 'namespace');
  if (r.name === undefined || r.name === null || r.name === '') return `${ns}/${r.type}`;
  checkSegment(r.name, 'name');
  return `${ns}/${r.type}/${r.name}`;
}

/** Parses a wire resource of two or three segments (as KubeEdge's metamanager does). */
export function parseResource(resource: string): WireResource {
  const parts = resource.split(RESOURCE_SEP);
  if ((parts.length !== 2 && parts.length !== 3) || parts.some((p) => p === '')) {
    throw new ProtocolError('bad_resource', `resource "${resource}" is not <namespace>/<type>[/<name>]`);
  }
  const [ns, type, name] = parts as [string, string, string | undefined];
  const namespace = ns === NULL_NAMESPACE ? null : ns;
  return name === undefined ? { kind: 'list', namespace, type } : { kind: 'object', namespace, type, name };
}

/** Prefixes a wire resource with `node/<node>/` (the cloud form). */
export function toCloudResource(node: string, wireResource: string): string {
  checkSegment(node, 'node');
  if (wireResource === '') throw new ProtocolError('bad_resource', 'resource must not be empty');
  return `${ResourceTypes.node}/${node}/${wireResource}`;
}

/** Splits a cloud resource `node/<node>/<rest>` into the node name and the wire resource. */
export function splitCloudResource(resource: string): { node: string; resource: string } {
  const parts = resource.split(RESOURCE_SEP);
  if (parts.length < 3 || parts[0] !== ResourceTypes.node || parts[1] === '' || parts[2] === '') {
    throw new ProtocolError('bad_resource', `resource "${resource}" is not node/<node>/<resource>`);
  }
  return { node: parts[1] as string, resource: parts.slice(2).join(RESOURCE_SEP) };
}

/** Strips `node/<node>/` when present (cloudhub's TrimMessage); other strings pass unchanged. */
export function toWireResource(resource: string): string {
  const parts = resource.split(RESOURCE_SEP);
  if (parts.length >= 3 && parts[0] === ResourceTypes.node) return parts.slice(2).join(RESOURCE_SEP);
  return resource;
}

/** Formats the cloud form `node/<node>/<ns>/<type>[/<name>]`. */
export function formatCloudResource(r: {
  node: string;
  namespace: string | null;
  type: string;
  name?: string | null;
}): string {
  return toCloudResource(r.node, formatResource(r));
}

/** Parses the cloud form into node plus the wire resource parts. */
export function parseCloudResource(resource: string): WireResource & { node: string } {
  const { node, resource: wire } = splitCloudResource(resource);
  return { node, ...parseResource(wire) };
}

function checkSegment(value: string, what: string): void {
  if (value === '' || value.includes(RESOURCE_SEP)) {
    throw new ProtocolError('bad_resource', `${what} "${value}" must be non-empty and contain no "/"`);
  }
}
