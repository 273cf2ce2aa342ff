// DMI v1beta1: KubeEdge's gRPC interface between edgecore and device mappers. Reached through this
// index only by the code that speaks it (edge/dmi, mappers/sdk): it loads gRPC.
export * from './messages.js';
export { DMI_PROTO_OPTIONS, DEFAULT_DMI_SOCKET_NAME, dmiProtoPath, loadDmiDefinition, loadDmiServices } from './proto.js';
export type { DmiServices } from './proto.js';
export { AnyCodecError, WRAPPER_TYPE_PREFIX, anyTypeName, decodeAny, decodeCustomized, encodeAny, encodeCustomized, float32ToNumber, stringAny } from './any.js';
export type { WrapperType } from './any.js';
export { deviceFromDmi, deviceToDmi, modelFromDmi, modelToDmi, overrideWithModel } from './convert.js';
