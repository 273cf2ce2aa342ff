export { ServiceManager } from './service-manager.js';
export { startOrder, dependentsOf } from './service-graph.js';
export { onShutdownSignals, untilAborted } from './shutdown-signals.js';
export type { SignalSource, ShutdownResult } from './shutdown-signals.js';
export { LifecycleError, ServiceFailedError, LIFECYCLE_TRANSITIONS, canTransition } from './types.js';
export type { Service, ServiceContext, LifecycleState, LifecycleErrorCode } from './types.js';
