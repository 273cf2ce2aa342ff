// The upstream messages of node registration, node status and the node lease, in the shape a
// KubeEdge 1.2x edge puts on the wire (edge/pkg/metamanager/client: node.go, nodestatus.go,
// lease.go; handled by cloud/pkg/edgecontroller/controller/upstream.go):
//   registration  null/node/<node>                  insert  content v1 Node
//   status        default/nodestatus/<node>         update  content NodeStatusRequest {UID, Status}
//   lease         kube-node-lease/lease/<node>      insert | update | query, content v1 Lease
// Source is "edged" and group is "meta": KubeEdge's edged builds them with modules.MetaGroup and
// edgehub forwards them unchanged; cloudcore routes upstream by resource type, not by group.
import type { KubeObject } from '../../api/index.js';
import {
  Groups,
  Modules,
  Operations,
  ResourceTypes,
  formatResource,
  newMessage,
  type Message,
  type MessageClock,
} from '../../core/index.js';
import type { NodeStatus } from './node-object.js';

export const UPSTREAM_SOURCE = Modules.edged;
export const UPSTREAM_GROUP = Groups.meta;
/** KubeEdge ≤1.11 edged sent node status in its registerNodeNamespace, "default" unless configured. */
export const NODE_STATUS_NAMESPACE = 'default';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** edgeapi.NodeStatusRequest. Go field names, no JSON tags. ExtendResources (GPUs) is left out: Go decodes it as nil. */
export interface NodeStatusRequest {
  UID: string;
  Status: NodeStatus;
}

/** A v1 Lease with only what a renewal needs. */
export interface NodeLease {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: { holderIdentity: string; leaseDurationSeconds: number; renewTime: string };
}

/** metav1.MicroTime: RFC 3339 in UTC with six fractional digits. */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function nodeRegistrationMessage(node: KubeObject, clock?: MessageClock): Message<KubeObject> {
  const name = node.metadata.name ?? '';
  return newMessage(
    {
      source: UPSTREAM_SOURCE,
      group: UPSTREAM_GROUP,
      operation: Operations.insert,
      resource: formatResource({ namespace: null, type: ResourceTypes.node, name }),
      content: node,
    },
    clock,
  );
}

/** `uid` is the Node's UID when known; KubeEdge's cloudcore does not read it. */
export function nodeStatusMessage(nodeName: string, status: NodeStatus, uid: string, clock?: MessageClock): Message<NodeStatusRequest> {
  return newMessage(
    {
      source: UPSTREAM_SOURCE,
      group: UPSTREAM_GROUP,
      operation: Operations.update,
      resource: formatResource({ namespace: NODE_STATUS_NAMESPACE, type: ResourceTypes.nodestatus, name: nodeName }),
      content: { UID: uid, Status: status },
    },
    clock,
  );
}

export function buildLease(nodeName: string, leaseDurationSeconds: number, renewMs: number, resourceVersion?: string): NodeLease {
  const metadata: NodeLease['metadata'] = { name: nodeName, namespace: NODE_LEASE_NAMESPACE };
  if (resourceVersion) metadata.resourceVersion = resourceVersion;
  return { metadata, spec: { holderIdentity: nodeName, leaseDurationSeconds, renewTime: formatMicroTime(renewMs) } };
}

export type LeaseOperation = 'insert' | 'update' | 'query';

/** A lease request (header.sync: the cloud answers with edgeapi.ObjectResp {Object, Err}). */
export function leaseMessage(nodeName: string, operation: LeaseOperation, lease: NodeLease | null, clock?: MessageClock): Message<NodeLease | null> {
  return newMessage(
    {
      source: UPSTREAM_SOURCE,
      group: UPSTREAM_GROUP,
      operation,
      resource: formatResource({ namespace: NODE_LEASE_NAMESPACE, type: ResourceTypes.lease, name: nodeName }),
      content: lease,
      sync: true,
    },
    clock,
  );
}
