import { ProtocolError } from './errors.js';

// MQTT topics of KubeEdge's eventbus and devicetwin (edge/pkg/devicetwin/dtcommon, eventbus/mqtt).
// Since KubeEdge 1.15 a device is identified by <namespace>/<name>, so device topics carry two
// segments: $hw/events/device/<ns>/<name>/twin/update.

export const TOPIC_DEVICE_PREFIX = '$hw/events/device/';
export const TOPIC_NODE_PREFIX = '$hw/events/node/';
export const TOPIC_UPLOAD_PREFIX = '$hw/events/upload/';
export const TOPIC_CONNECTED_PREFIX = '$hw/events/connected/';
export const TOPIC_DISCONNECTED_PREFIX = '$hw/events/disconnected/';
/** Records uploaded by devices that go to the cloud as is. */
export const TOPIC_UPLOAD_RECORDS = 'SYS/dis/upload_records';

/** Suffixes after $hw/events/device/<ns>/<name>/. */
export const DeviceTopicEvents = {
  twinUpdate: 'twin/update',
  twinUpdateResult: 'twin/update/result',
  twinUpdateDelta: 'twin/update/delta',
  twinUpdateDocument: 'twin/update/document',
  twinGet: 'twin/get',
  twinGetResult: 'twin/get/result',
  twinCloudUpdated: 'twin/cloud_updated',
  twinEdgeUpdated: 'twin/edge_updated',
  stateUpdate: 'state/update',
  stateUpdateResult: 'state/update/result',
  stateGet: 'state/get',
  updated: 'updated',
} as const;
export type DeviceTopicEvent = (typeof DeviceTopicEvents)[keyof typeof DeviceTopicEvents];

/** Suffixes after $hw/events/node/<node>/. */
export const MembershipTopicEvents = {
  get: 'membership/get',
  getResult: 'membership/get/result',
  updated: 'membership/updated',
  detail: 'membership/detail',
  detailResult: 'membership/detail/result',
} as const;
export type MembershipTopicEvent = (typeof MembershipTopicEvents)[keyof typeof MembershipTopicEvents];

/** What edgecore's eventbus subscribes to on the broker. */
export const EDGE_SUBSCRIPTIONS: readonly string[] = [
  `${TOPIC_UPLOAD_PREFIX}#`,
  `${TOPIC_DEVICE_PREFIX}+/+/state/update`,
  `${TOPIC_DEVICE_PREFIX}+/+/twin/+`,
  `${TOPIC_NODE_PREFIX}+/membership/get`,
  TOPIC_UPLOAD_RECORDS,
  '+/user/#',
];

export type ParsedTopic =
  | { kind: 'device'; namespace: string; name: string; event: DeviceTopicEvent }
  | { kind: 'membership'; node: string; event: MembershipTopicEvent }
  | { kind: 'upload'; path: string }
  | { kind: 'upload_records' }
  | { kind: 'connected'; clientId: string }
  | { kind: 'disconnected'; clientId: string }
  | { kind: 'other'; topic: string };

const DEVICE_EVENTS = new Set<string>(Object.values(DeviceTopicEvents));
const MEMBERSHIP_EVENTS = new Set<string>(Object.values(MembershipTopicEvents));

export function deviceTopic(namespace: string, name: string, event: DeviceTopicEvent): string {
  return `${TOPIC_DEVICE_PREFIX}${topicSegment(namespace)}/${topicSegment(name)}/${event}`;
}

export function membershipTopic(node: string, event: MembershipTopicEvent): string {
  return `${TOPIC_NODE_PREFIX}${topicSegment(node)}/${event}`;
}

export function connectedTopic(clientId: string): string {
  return TOPIC_CONNECTED_PREFIX + topicSegment(clientId);
}

export function disconnectedTopic(clientId: string): string {
  return TOPIC_DISCONNECTED_PREFIX + topicSegment(clientId);
}

/** Classifies a topic; topics that are not KubeEdge's come back as kind "other". */
export function parseTopic(topic: string): ParsedTopic {
  if (topic === TOPIC_UPLOAD_RECORDS) return { kind: 'upload_records' };
  if (topic.startsWith(TOPIC_UPLOAD_PREFIX)) return { kind: 'upload', path: topic.slice(TOPIC_UPLOAD_PREFIX.length) };
  const rest = (prefix: string): string[] | undefined =>
    topic.startsWith(prefix) ? topic.slice(prefix.length).split('/') : undefined;
  const device = rest(TOPIC_DEVICE_PREFIX);
  if (device && device.length >= 3) {
    const [namespace, name, ...tail] = device as [string, string, ...string[]];
    const event = tail.join('/');
    if (namespace !== '' && name !== '' && DEVICE_EVENTS.has(event)) {
      return { kind: 'device', namespace, name, event: event as DeviceTopicEvent };
    }
  }
  const node = rest(TOPIC_NODE_PREFIX);
  if (node && node.length >= 2) {
    const [nodeName, ...tail] = node as [string, ...string[]];
    const event = tail.join('/');
    if (nodeName !== '' && MEMBERSHIP_EVENTS.has(event)) {
      return { kind: 'membership', node: nodeName, event: event as MembershipTopicEvent };
    }
  }
  for (const [prefix, kind] of [
    [TOPIC_CONNECTED_PREFIX, 'connected'],
    [TOPIC_DISCONNECTED_PREFIX, 'disconnected'],
  ] as const) {
    const id = rest(prefix);
    if (id && id.length === 1 && id[0] !== '') return { kind, clientId: id[0] as string };
  }
  return { kind: 'other', topic };
}

/**
 * MQTT filter matching with + (one level) and # (this level and below). As MQTT specifies,
 * a wildcard in the first level does not match topics starting with "$" ($hw/...).
 */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const part = f[i];
    if (part === '#') return t.length >= i;
    if (i >= t.length) return false;
    if (part !== '+' && part !== t[i]) return false;
  }
  return f.length === t.length;
}

/**
 * Resource of a message that carries an MQTT publish from eventbus to devicetwin (source "bus"):
 * the topic in Go's base64.URLEncoding (URL alphabet, with "=" padding).
 */
export function encodeTopicResource(topic: string): string {
  return Buffer.from(topic, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

export function decodeTopicResource(resource: string): string {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(resource) || resource.length % 4 !== 0) {
    throw new ProtocolError('bad_topic', `resource "${resource}" is not a base64url topic`);
  }
  return Buffer.from(resource.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
}

/** Resource strings devicetwin sends to the cloud: device/<ns>/<name>/<event>. */
export function deviceResource(namespace: string, name: string, event: DeviceTopicEvent): string {
  return `device/${topicSegment(namespace)}/${topicSegment(name)}/${event}`;
}

/**
 * Parses device/<ns>/<name>/<event>, optionally behind the cloud prefix node/<node>/
 * (cloud's GetDeviceID reads the same positions).
 */
export function parseDeviceResource(resource: string): { namespace: string; name: string; event: string } {
  const parts = resource.split('/');
  const at = parts[0] === 'node' && parts[2] === 'device' ? 2 : 0;
  const [kind, namespace, name] = [parts[at], parts[at + 1], parts[at + 2]];
  if (kind !== 'device' || !namespace || !name) {
    throw new ProtocolError('bad_resource', `resource "${resource}" is not device/<namespace>/<name>/...`);
  }
  return { namespace, name, event: parts.slice(at + 3).join('/') };
}

function topicSegment(value: string): string {
  if (value === '' || /[/+#\u0000]/.test(value)) {
    throw new ProtocolError('bad_topic', `topic segment "${value}" must be non-empty without / + # or NUL`);
  }
  return value;
}
