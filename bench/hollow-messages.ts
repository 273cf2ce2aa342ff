// The wire messages a hollow edgecore sends and how it treats what it receives, in one place so the
// shapes can be checked against KubeEdge (and adjusted) without touching the connection code.
// Shapes follow KubeEdge 1.2x: edgehub's keepalive (source "websocket", group "resource", resource
// "node", content "ping"); edged's node registration through metaclient (insert of
// "null/node/<name>", group "meta", source "edged", sync); the kubelet's lease renewal (update of
// "kube-node-lease/lease/<name>"); metamanager's ack of a persisted object (response, content "OK").
import {
  Contents, Groups, Operations, WireModuleNames, buildResponse, newMessage, parseResource, type Message,
} from '../src/core/index.js';

/** KubeEdge's default projectID (edgecore.yaml modules.edgeHub.projectID). */
export const DEFAULT_PROJECT_ID = 'e632aba927ea4ac2b575ec1603d56f10';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const EDGED = 'edged';
const METAMANAGER = 'metamanager';
const META_GROUP = 'meta';

export function keepaliveMessage(): Message {
  return newMessage({
    source: WireModuleNames.edgehub, group: Groups.resource, operation: Operations.keepalive, resource: 'node', content: Contents.ping,
  });
}

/** The Node a hollow node registers: edge role label, a small fixed capacity, loopback address. */
export function hollowNodeObject(node: string): Record<string, unknown> {
  const capacity = { cpu: '2', memory: '4Gi', pods: '110' };
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: node, labels: { 'kubernetes.io/hostname': node, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'node-role.kubernetes.io/edge': '' } },
    spec: {},
    status: {
      capacity, allocatable: capacity,
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: node }],
      nodeInfo: { kubeletVersion: 'v1.31.0-kubeedge-ts-hollow', osImage: 'hollow', kernelVersion: 'hollow', containerRuntimeVersion: 'hollow://1.0', operatingSystem: 'linux', architecture: 'amd64' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'EdgeReady', message: 'hollow edge node is posting ready status' }],
    },
  };
}

export function registerNodeMessage(node: string): Message {
  return newMessage({
    source: EDGED, group: META_GROUP, operation: Operations.insert, resource: `null/node/${node}`, content: hollowNodeObject(node), sync: true,
  });
}

export function leaseMessage(node: string, now: Date): Message {
  return newMessage({
    source: EDGED, group: META_GROUP, operation: Operations.update, resource: `${NODE_LEASE_NAMESPACE}/lease/${node}`, sync: true,
    content: {
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
      metadata: { name: node, namespace: NODE_LEASE_NAMESPACE },
      spec: { holderIdentity: node, leaseDurationSeconds: 40, renewTime: now.toISOString().replace('Z', '000Z') },
    },
  });
}

/** metamanager's ack of a persisted downstream object. */
export function ackMessage(msg: Message): Message {
  return buildResponse(msg, Contents.ok, { source: METAMANAGER });
}

/** What to do with one downstream message. */
export type DownstreamKind =
  /** A response or error to one of our requests (registration, lease) or an ack of our upstream. */
  | 'response'
  /** ping / pong / config: answered with content "ack". */
  | 'reply'
  /** An object to persist and ack. */
  | 'ack'
  /** Delivered without an ack (DESIGN.md §3's no-ack kinds). */
  | 'noack';

const NO_ACK_TYPES = new Set(['membership', 'serviceaccounttoken']);

export function classifyDownstream(msg: Message): DownstreamKind {
  const op = msg.route.operation;
  if (op === Operations.response || op === Operations.error) return 'response';
  if (op === Operations.ping || op === Operations.pong || op === Operations.config) return 'reply';
  if (op === Operations.keepalive) return 'noack';
  if (msg.route.group === Groups.user || msg.route.group === Groups.twin) return 'noack';
  let r;
  try {
    r = parseResource(msg.route.resource);
  } catch {
    return 'noack';
  }
  if (NO_ACK_TYPES.has(r.type)) return 'noack';
  // A pod list ("<ns>/pod" without a name) is not acked in KubeEdge.
  if (r.kind === 'list' && r.type === 'pod') return 'noack';
  return 'ack';
}

export function replyMessage(msg: Message): Message {
  return buildResponse(msg, Contents.ack, { source: WireModuleNames.edgehub });
}
