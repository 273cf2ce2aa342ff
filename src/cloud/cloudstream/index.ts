// cloudstream: kubectl logs/exec for pods on edge nodes, through one tunnel per node.
export { startCloudStream } from './cloud-stream.js';
export type { CloudStream, CloudStreamOptions } from './cloud-stream.js';
export type { PodSubresourceRegistrar, PodStreamFn, PodStreamRequest } from './pod-handlers.js';
export type { TunnelMetrics } from './tunnel-server.js';
export { SUPPORTED_PROTOCOLS as EXEC_SUBPROTOCOLS } from './channel-protocol.js';
export { parseKubeletPath } from './kubelet-server.js';
