// edged/pods: the pod lifecycle sync loop (kubelet-like) over a container runtime.
export { PodManager } from './pod-manager.js';
export { defaultPodParts } from './default-parts.js';
export type { PodManagerDeps, PodParts, PodStore, StoreChange } from './types.js';
export { EventRecorder } from './events.js';
export type { EventType, EventRecorderDeps } from './events.js';
export { StatusReporter } from './status-reporter.js';
export { createObjectSource } from './object-source.js';
export { readStaticPods, staticPod, STATIC_POD_POLL_MS } from './static-pods.js';
export { terminalStatus } from './build-status.js';
