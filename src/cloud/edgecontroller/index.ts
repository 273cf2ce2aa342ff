export { EdgeController } from './edge-controller.js';
export { authorizeUpstream } from './node-authorizer.js';
export type { AuthorizerFacts, AuthzDecision, AuthzRequest } from './node-authorizer.js';
export { podReferences } from './pod-references.js';
export type { PodReferences, ReferenceKind } from './pod-references.js';
export { EDGE_NODE_LABEL, NODE_LEASE_NAMESPACE, EDGECONTROLLER_SOURCE } from './types.js';
export type {
  CacheHandlers, CacheInformer, EdgeControllerDeps, EdgeControllerMetrics, EdgeControllerOptions, EdgeHubSender,
  HubSendOptions, InformedResource, SyncLookup,
} from './types.js';
