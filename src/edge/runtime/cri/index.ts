// The `cri` runtime: CRI runtime.v1 over gRPC to containerd (our own proto subset in api.proto).
export { createCriRuntime } from './cri-runtime.js';
export { criSocketExists, criSocketPath } from './socket-path.js';
export type { CriRuntimeOptions } from './cri-runtime.js';
export type { ExecTransport } from './runtime-service.js';
// For test fakes that serve the same proto.
export { criProtoPath, loadCriDefinition, loadCriServices, CRI_PROTO_OPTIONS } from './proto.js';
export { EXEC_SUBPROTOCOLS } from './exec-stream.js';
