// edged: node registration, node status and the node lease, and the pods of this node.
export { NodeStatusReporter } from './node-status.js';
export type { NodeStatusReporterDeps } from './node-status.js';
export { createOsProbe } from './os-probe.js';
export type { OsProbeOptions } from './os-probe.js';
export type { NodeFacts, NodeOsInfo } from './node-facts.js';
export {
  buildNode,
  buildNodeStatus,
  nodeLabels,
  statusKey,
  DEFAULT_KUBELET_VERSION,
  DEFAULT_CONTAINER_RUNTIME_VERSION,
  EDGE_ROLE_LABEL,
} from './node-object.js';
export type { NodeStatus, NodeSystemInfo, NodeAddress, ResourceList, NodeStatusOptions } from './node-object.js';
export { ConditionTracker, formatTime } from './node-conditions.js';
export type { NodeCondition, ConditionStatus } from './node-conditions.js';
export {
  nodeRegistrationMessage,
  nodeStatusMessage,
  leaseMessage,
  buildLease,
  formatMicroTime,
  UPSTREAM_SOURCE,
  UPSTREAM_GROUP,
  NODE_STATUS_NAMESPACE,
  NODE_LEASE_NAMESPACE,
} from './node-messages.js';
export type { NodeStatusRequest, NodeLease, LeaseOperation } from './node-messages.js';
export { LeaseRenewer, readLeaseAnswer } from './lease-renewer.js';
export type { LeaseAnswer, LeaseRenewerDeps } from './lease-renewer.js';
export { realTimers } from './timers.js';
export type { Timers } from './timers.js';
// Pods: the lifecycle (pods/), its parts (podspec/, prober/, podstatus/) and their contracts.
export { PodManager, defaultPodParts } from './pods/index.js';
export type { PodManagerDeps, PodStore } from './pods/index.js';
export type { NodeFacts as PodNodeFacts, ContainerLocator, ContainerLocation } from './pod-contracts.js';
export { ContainerNotFoundError, PodConfigError } from './pod-contracts.js';
export { readContainerLog } from './logs/index.js';
