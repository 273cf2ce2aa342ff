// Downstream messages of devicecontroller, in the shapes KubeEdge's DownstreamController and
// UpstreamController build them. Resources are wire resources: cloudhub is told the node
// separately, as KubeEdge's cloudhub strips `node/<node>/`.
// - membership: group "twin", resource "membership", operation "update", MembershipUpdate content;
// - objects: group "resource", resource `<ns>/device|devicemodel/<name>`, header.resourceversion,
//   content = the object with apiVersion and kind (KubeEdge's SetGroupVersionKind);
// - the twin confirmation KubeEdge's edge devicetwin waits for (it resends a report every 60 s
//   until a twin-group message with parent_msg_id = the report's id arrives): resource "twin",
//   operation "response", content "OK".
import type { KubeObject } from '../../api/index.js';
import {
  Contents, formatResource, Groups, newMessage, Operations, wireTypeKind,
  type MembershipDetail, type MembershipUpdate, type Message, type MessageClock, type WireDevice,
} from '../../core/index.js';
import { DEVICECONTROLLER_SOURCE } from './types.js';

export type ObjectOperation = 'insert' | 'update' | 'delete';
export type DeviceWireType = 'device' | 'devicemodel';

/** Wire resources of the twin group (KubeEdge's BuildResourceForDevice(node, …) after the strip). */
export const MEMBERSHIP_RESOURCE = 'membership';
export const MEMBERSHIP_DETAIL_RESOURCE = 'membership/detail';
export const TWIN_CONFIRM_RESOURCE = 'twin';

/** The membership form of a device (KubeEdge's createDevice): id `<ns>/<name>`, description label. */
export function toWireDevice(device: KubeObject): WireDevice {
  const namespace = device.metadata.namespace ?? 'default';
  const name = device.metadata.name ?? '';
  const out: WireDevice = { id: `${namespace}/${name}`, name };
  const description = device.metadata.labels?.['description'];
  if (description !== undefined) out.description = description;
  return out;
}

export function membershipMessage(
  change: { added: WireDevice[]; removed: WireDevice[] }, clock: Required<MessageClock>,
): Message<MembershipUpdate> {
  const content: MembershipUpdate = {
    event_id: clock.newId(), timestamp: clock.now(), added_devices: change.added, removed_devices: change.removed,
  };
  return newMessage({
    source: DEVICECONTROLLER_SOURCE, group: Groups.twin, operation: Operations.update, resource: MEMBERSHIP_RESOURCE, content,
  }, clock);
}

/**
 * The node's whole device list, answering the edge's membership/detail request. KubeEdge's cloud
 * ignores that request; a KubeEdge edge applies this answer as MemDetailResult (adds what is
 * missing, removes what is not listed), which repairs a membership update lost while offline.
 */
export function membershipDetailMessage(devices: WireDevice[], clock: Required<MessageClock>): Message<MembershipDetail> {
  const content: MembershipDetail = { event_id: clock.newId(), timestamp: clock.now(), devices };
  return newMessage({
    source: DEVICECONTROLLER_SOURCE, group: Groups.twin, operation: Operations.update, resource: MEMBERSHIP_DETAIL_RESOURCE, content,
  }, clock);
}

export function twinConfirmMessage(req: Message, clock: Required<MessageClock>): Message<string> {
  return newMessage({
    source: DEVICECONTROLLER_SOURCE, group: Groups.twin, operation: Operations.response, resource: TWIN_CONFIRM_RESOURCE,
    content: Contents.ok, parentId: req.header.msg_id,
  }, clock);
}

export function withTypeMeta(type: DeviceWireType, obj: KubeObject): KubeObject {
  const meta = wireTypeKind(type);
  if (!meta || (obj.apiVersion && obj.kind)) return obj;
  return { ...obj, apiVersion: obj.apiVersion ?? meta.apiVersion, kind: obj.kind ?? meta.kind };
}

export function objectMessage(
  operation: ObjectOperation, type: DeviceWireType, obj: KubeObject, clock: Required<MessageClock>,
): Message<KubeObject> {
  const resourceVersion = obj.metadata.resourceVersion;
  return newMessage({
    source: DEVICECONTROLLER_SOURCE,
    group: Groups.resource,
    operation,
    resource: formatResource({ namespace: obj.metadata.namespace ?? 'default', type, name: obj.metadata.name ?? '' }),
    content: withTypeMeta(type, obj),
    ...(resourceVersion ? { resourceVersion } : {}),
  }, clock);
}
