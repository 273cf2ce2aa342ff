export { ProtocolError } from './errors.js';
export type { ProtocolErrorCode } from './errors.js';
export {
  Operations,
  Groups,
  Modules,
  WireModuleNames,
  Sources,
  Contents,
  toWireModule,
  fromWireModule,
} from './names.js';
export type { Operation, Group, ModuleName } from './names.js';
export { newMessage, buildResponse, buildErrorResponse, isResponse } from './message.js';
export type { Message, MessageHeader, MessageRoute, MessageClock, NewMessageInit } from './message.js';
export { encodeMessage, decodeMessage, DEFAULT_MAX_MESSAGE_BYTES } from './codec.js';
export type { DecodeLimits } from './codec.js';
export {
  NULL_NAMESPACE,
  RESOURCE_SEP,
  ResourceTypes,
  FixedResources,
  formatResource,
  parseResource,
  toCloudResource,
  splitCloudResource,
  toWireResource,
  formatCloudResource,
  parseCloudResource,
} from './resource.js';
export type { ResourceType, WireResource } from './resource.js';
export {
  TOPIC_DEVICE_PREFIX,
  TOPIC_NODE_PREFIX,
  TOPIC_UPLOAD_PREFIX,
  TOPIC_CONNECTED_PREFIX,
  TOPIC_DISCONNECTED_PREFIX,
  TOPIC_UPLOAD_RECORDS,
  DeviceTopicEvents,
  MembershipTopicEvents,
  EDGE_SUBSCRIPTIONS,
  deviceTopic,
  membershipTopic,
  connectedTopic,
  disconnectedTopic,
  parseTopic,
  topicMatches,
  encodeTopicResource,
  decodeTopicResource,
  deviceResource,
  parseDeviceResource,
} from './topics.js';
export type { DeviceTopicEvent, MembershipTopicEvent, ParsedTopic } from './topics.js';
export { WireTypeKinds, wireTypeKind } from './resource-kinds.js';
export type { TypeMeta } from './resource-kinds.js';
export {
  TwinResultCodes,
  DeviceStates,
  TWIN_TYPE_DELETED,
  twinEdgeUpdatedResource,
  deviceStateUpdateResource,
  parseDeviceUpstreamResource,
  twinContent,
} from './twin-wire.js';
export type {
  BaseMessage,
  TwinValue,
  TwinVersion,
  MsgTwin,
  MsgAttr,
  WireDevice,
  DeviceTwinUpdate,
  DeviceTwinDocument,
  TwinResult,
  MembershipUpdate,
  MembershipDetail,
  DeviceStateUpdateRequest,
  DeviceStateCloudUpdate,
  DeviceUpstreamResource,
} from './twin-wire.js';
