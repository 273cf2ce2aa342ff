// Payloads of KubeEdge's device twin messages (edge/pkg/devicetwin/dttype, cloud/pkg/devicecontroller/types),
// shared by the MQTT topics, the edge's devicetwin and the cloud's devicecontroller. JSON names are KubeEdge's.

/** event_id + timestamp (ms) head every twin payload. */
export interface BaseMessage {
  event_id: string;
  timestamp: number;
}

export interface TwinValue {
  value?: string;
  metadata?: { timestamp?: number };
}

export interface TwinVersion {
  cloud: number;
  edge: number;
}

/** One twin as it travels: expected (desired) and actual (reported) with their version vectors. */
export interface MsgTwin {
  expected?: TwinValue;
  actual?: TwinValue;
  optional?: boolean;
  /** type: the value type ("string", "int", ...), or "deleted" for a twin being removed. */
  metadata?: { type?: string };
  expected_version?: TwinVersion;
  actual_version?: TwinVersion;
}

export interface MsgAttr {
  value: string;
  optional?: boolean;
  metadata?: { type?: string };
}

/** A device in membership messages and twin/get results. */
export interface WireDevice {
  id?: string;
  name?: string;
  description?: string;
  state?: string;
  last_online?: string;
  /** The cloud's form of last_online (DeviceCloudMsg). */
  lastOnlineTime?: string;
  attributes?: Record<string, MsgAttr | null>;
  twin?: Record<string, MsgTwin | null>;
}

/** $hw/events/device/<ns>/<name>/twin/update payload, and twin/edge_updated to the cloud. */
export interface DeviceTwinUpdate extends BaseMessage {
  twin: Record<string, MsgTwin | null>;
}

/** twin/update/document: the twins before and after an update. */
export interface DeviceTwinDocument extends BaseMessage {
  twin: Record<string, { last: MsgTwin | null; current: MsgTwin | null }>;
}

/** Answers on the …/result topics. code and reason only on errors (400, 404, 409, 500). */
export interface TwinResult extends BaseMessage {
  code?: number;
  reason?: string;
}

/** The cloud's membership message (group twin, resource node/<node>/membership, operation update). */
export interface MembershipUpdate extends BaseMessage {
  added_devices: WireDevice[] | null;
  removed_devices: WireDevice[] | null;
}

export interface MembershipDetail extends BaseMessage {
  devices: WireDevice[];
}

/** $hw/events/device/<ns>/<name>/state/update payload. */
export interface DeviceStateUpdateRequest extends BaseMessage {
  state: string;
}

/** device/<ns>/<name>/state/update to the cloud. Go decodes "Device" and "device" alike. */
export interface DeviceStateCloudUpdate extends BaseMessage {
  device: { name?: string; state: string; lastOnlineTime?: string; last_online?: string };
}

/** Result codes on the result topics (dtcommon). */
export const TwinResultCodes = { badRequest: 400, notFound: 404, conflict: 409, internal: 500 } as const;

/** Device states KubeEdge knows (dtcommon). */
export const DeviceStates = ['ok', 'online', 'offline', 'unhealthy', 'unknown'] as const;

/** The twin metadata type that marks a deleted twin. */
export const TWIN_TYPE_DELETED = 'deleted';

/** Upstream resources of the devicetwin (wire form; the cloud prefixes node/<node>/). */
export function twinEdgeUpdatedResource(namespace: string, name: string): string {
  return `device/${namespace}/${name}/twin/edge_updated`;
}
export function deviceStateUpdateResource(namespace: string, name: string): string {
  return `device/${namespace}/${name}/state/update`;
}

export type DeviceUpstreamResource =
  | { kind: 'twin' | 'state'; namespace: string; name: string }
  | { kind: 'membership_detail' };

/**
 * Classifies an upstream devicetwin resource (wire or cloud form); undefined when it is not one.
 * device/<ns>/<name>/twin/edge_updated, device/<ns>/<name>/state/update, membership/detail.
 */
export function parseDeviceUpstreamResource(resource: string): DeviceUpstreamResource | undefined {
  const r = resource.startsWith('node/') ? resource.split('/').slice(2).join('/') : resource;
  if (r === 'membership/detail') return { kind: 'membership_detail' };
  const parts = r.split('/');
  if (parts.length !== 5 || parts[0] !== 'device' || !parts[1] || !parts[2]) return undefined;
  const tail = `${parts[3]}/${parts[4]}`;
  if (tail === 'twin/edge_updated') return { kind: 'twin', namespace: parts[1], name: parts[2] };
  if (tail === 'state/update') return { kind: 'state', namespace: parts[1], name: parts[2] };
  return undefined;
}

/** Parses content that Go may send as a JSON string (KubeEdge's devicetwin does) or as an object. */
export function twinContent(content: unknown): unknown {
  if (typeof content === 'string') return JSON.parse(content) as unknown;
  if (content instanceof Uint8Array) return JSON.parse(Buffer.from(content).toString('utf8')) as unknown;
  return content;
}
