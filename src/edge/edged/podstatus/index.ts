// podstatus: the pod status kubelet would report, computed from what the pod worker knows.
export { computePodStatus, sameStatus, canonicalJson } from './compute-status.js';
export { podPhase } from './phase.js';
export type { PodPhase, PhaseInput } from './phase.js';
export type { QosClass } from '../podspec/index.js';
export { containerID, isRestartableInit } from './container-status.js';
