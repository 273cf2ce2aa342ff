// metaserver: the node-local Kubernetes API on loopback (reads from the edge store, writes upstream).
export { startMetaServer, isLoopbackHost, MetaServerError, DEFAULT_METASERVER_PORT } from './server.js';
export type { MetaServer, MetaServerOptions, MetaStoreReader } from './types.js';
export { ApiError, statusFor } from './api-error.js';
export type { ApiErrorReason } from './api-error.js';
export { matchRoute, RESOURCES, POD_RESOURCE } from './routes.js';
export type { Route, RouteMatch, ResourceInfo } from './routes.js';
export { applyMergePatch } from './merge-patch.js';
export { podStatusMessage, eventMessage } from './upstream-messages.js';
export type { PodStatusRequest } from './upstream-messages.js';
export { DEFAULT_MAX_BODY_BYTES } from './request-body.js';
