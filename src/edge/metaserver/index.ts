// metaserver: the node-local Kubernetes API on loopback (reads from the edge store, writes upstream).
export { startMetaServer, isLoopbackHost, MetaServerError, DEFAULT_METASERVER_PORT } from './server.js';
export type { MetaServer, MetaServerOptions, MetaStoreReader, MetaStoreChange, LocalPodStatusSource } from './types.js';
export { ApiError, statusFor } from './api-error.js';
export type { ApiErrorReason } from './api-error.js';
export { matchRoute } from './routes.js';
export type { Route, RouteMatch } from './routes.js';
export { servedResources, DEVICES_GROUP, DEVICES_VERSION } from './resources.js';
export type { ResourceInfo } from './resources.js';
export { applyMergePatch } from './merge-patch.js';
export { podStatusMessage, eventMessage } from './upstream-messages.js';
export type { PodStatusRequest } from './upstream-messages.js';
export { DEFAULT_MAX_BODY_BYTES } from './request-body.js';
