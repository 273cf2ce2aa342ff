// What a message from the cloud asks of the bus (KubeEdge eventbus.pubCloudMsgToEdge). The cloud's
// router sends them with source "router_eventbus", group "user"; cloudhub has already cut the
// "node/<node>/" prefix, so the resource IS the MQTT topic, as is (not base64: that encoding is only
// used on the way from the bus to devicetwin). Pure: message in, action out.
import { Operations, type Message } from '../../core/index.js';
import { isValidTopicFilter, isValidTopicName } from './mqtt-topic.js';

export type CloudAction =
  | { kind: 'subscribe'; topic: string }
  | { kind: 'unsubscribe'; topic: string }
  | { kind: 'publish'; topic: string; payload: string | Buffer }
  | { kind: 'ignore'; reason: string };

/** Resource of a get_result the bus forwards to devices (KubeEdge: edge group auth info). */
export const AUTH_INFO_RESOURCE = 'auth_info';

/** The topic KubeEdge publishes auth_info results on. */
export function authInfoResultTopic(nodeName: string): string {
  return `$hw/events/node/${nodeName}/authInfo/get/result`;
}

export function cloudAction(msg: Message, nodeName: string): CloudAction {
  const { operation, resource } = msg.route;
  switch (operation) {
    case Operations.subscribe:
    case Operations.unsubscribe:
      if (!isValidTopicFilter(resource)) return { kind: 'ignore', reason: 'resource is not an MQTT topic filter' };
      return { kind: operation, topic: resource };
    case Operations.publish:
      return publishAction(resource, msg.content);
    case Operations.message:
      return messageAction(msg.content);
    case Operations.getResult:
      if (resource !== AUTH_INFO_RESOURCE) return { kind: 'ignore', reason: 'get_result other than auth_info' };
      return { kind: 'publish', topic: authInfoResultTopic(nodeName), payload: JSON.stringify(msg.content ?? null) };
    default:
      return { kind: 'ignore', reason: `operation "${operation}" is not handled by eventbus` };
  }
}

/** Operation publish: the content (a string on the wire; bytes from inside edgecore) goes out as is. */
function publishAction(topic: string, content: unknown): CloudAction {
  if (!isValidTopicName(topic)) return { kind: 'ignore', reason: 'resource is not an MQTT topic name' };
  if (typeof content === 'string' || Buffer.isBuffer(content)) return { kind: 'publish', topic, payload: content };
  if (content instanceof Uint8Array) return { kind: 'publish', topic, payload: Buffer.from(content.buffer, content.byteOffset, content.byteLength) };
  return { kind: 'ignore', reason: 'publish content is not a string or bytes' };
}

/** Operation message: content {message: {topic, ...}}; the whole inner object is published as JSON. */
function messageAction(content: unknown): CloudAction {
  const inner = isRecord(content) ? content['message'] : undefined;
  if (!isRecord(inner)) return { kind: 'ignore', reason: 'message content has no "message" object' };
  const topic = inner['topic'];
  if (typeof topic !== 'string' || !isValidTopicName(topic)) return { kind: 'ignore', reason: 'message.topic is not an MQTT topic name' };
  return { kind: 'publish', topic, payload: JSON.stringify(inner) };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}
