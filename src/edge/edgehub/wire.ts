// What edgehub puts on KubeEdge's wire: the dial URL and headers (edgehub config + viaduct's
// ws client), the keepalive message (edgehub process.go), the downstream ack (metamanager) and the
// reply to viaduct control messages. Pure functions.
import {
  Contents,
  Groups,
  Operations,
  WireModuleNames,
  buildResponse,
  newMessage,
  type Message,
  type MessageClock,
} from '../../core/index.js';

/**
 * Request header asking the cloud to ack our upstream messages. The same value as
 * cloud/cloudhub/types.ts UPSTREAM_ACK_HEADER, defined again here because edge never imports cloud.
 */
export const UPSTREAM_ACK_HEADER = 'x-kubeedge-ts-upstream-ack';
/** The version we ask for; cloudhub answers the upgrade with the same header when it will ack. */
export const UPSTREAM_ACK_VERSION = 'v1';

/** KubeEdge: strings.Join(["wss:/", server, projectID, nodeName, "events"], "/"). */
export function cloudHubUrl(server: string, projectID: string, nodeName: string): string {
  return `wss://${server}/${encodeURIComponent(projectID)}/${encodeURIComponent(nodeName)}/events`;
}

/**
 * KubeEdge's wsclient sets node_id and project_id; viaduct's ws client adds ConnectionUse: msg
 * (api.UseTypeMessage). Header names are case-insensitive; Go canonicalizes them on its side.
 */
export function cloudHubHeaders(projectID: string, nodeName: string): Record<string, string> {
  return {
    node_id: nodeName,
    project_id: projectID,
    ConnectionUse: 'msg',
    [UPSTREAM_ACK_HEADER]: UPSTREAM_ACK_VERSION,
  };
}

/**
 * KubeEdge edgehub keepalive: NewMessage("").BuildRouter("websocket", "resource", "node",
 * "keepalive").FillBody("ping").
 */
export function keepaliveMessage(clock?: MessageClock): Message<string> {
  return newMessage(
    {
      source: WireModuleNames.edgehub,
      group: Groups.resource,
      operation: Operations.keepalive,
      resource: 'node',
      content: Contents.ping,
    },
    clock,
  );
}

/**
 * metamanager's ack: NewRespByMessage(msg, "OK") keeps the downstream message's source and group
 * (e.g. source "edgecontroller", group "resource"), operation "response", parent_msg_id = its id.
 */
export function ackMessage(msg: Message, clock?: MessageClock): Message<string> {
  return buildResponse(msg, Contents.ok, { clock });
}

/** viaduct's conn answers operations config/ping/pong itself with NewRespByMessage(msg, "ack"). */
export function isControlMessage(msg: Message): boolean {
  const op = msg.route.operation;
  return op === Operations.ping || op === Operations.pong || op === Operations.config;
}

export function controlReply(msg: Message, clock?: MessageClock): Message<string> {
  return buildResponse(msg, Contents.ack, { clock });
}
