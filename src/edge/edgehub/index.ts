// edgehub: the edge end of the cloud–edge link.
export type { EdgeHubPort, EdgeHubListener, LinkState } from './types.js';
export { EdgeHub } from './edge-hub.js';
export { EDGEHUB_DEFAULTS, resolveEdgeHubOptions } from './options.js';
export type { EdgeHubOptions, ResolvedEdgeHubOptions, TlsMaterial, Timers, TimerHandle } from './options.js';
export type { EdgeHubMetrics } from './metrics.js';
export { EdgeHubError } from './errors.js';
export type { EdgeHubErrorCode } from './errors.js';
export { BACKOFF_RESET_AFTER_MS, DEFAULT_BACKOFF, backoffCeiling, backoffDelay } from './backoff.js';
export type { BackoffPolicy } from './backoff.js';
export { LINK_TRANSITIONS, canTransition } from './link-state.js';
export { TokenBucket } from './token-bucket.js';
export {
  UPSTREAM_ACK_HEADER,
  UPSTREAM_ACK_VERSION,
  cloudHubUrl,
  cloudHubHeaders,
  keepaliveMessage,
  ackMessage,
} from './wire.js';
export * from './certificate/index.js';
