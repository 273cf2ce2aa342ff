// The v1 Node this edge registers and the v1 NodeStatus it reports, built from NodeFacts (pure).
// Capacity follows kubelet: cpu in cores, memory in Ki, pods = maxPods, ephemeral-storage = size of
// the data dir's file system. Allocatable subtracts kubelet's default hard eviction thresholds
// (100Mi memory, 10% of the file system), as kubelet does with no reservations configured.
import type { KubeObject } from '../../api/index.js';
import { MEMORY_AVAILABLE_THRESHOLD_KI, STORAGE_AVAILABLE_MIN_FRACTION, type NodeCondition } from './node-conditions.js';
import type { NodeFacts } from './node-facts.js';

/** kubeletVersion this edge reports (KubeEdge reports its kubelet's version with a -kubeedge suffix). */
export const DEFAULT_KUBELET_VERSION = 'v1.31.0-kubeedge-ts';
/** containerRuntimeVersion until edged asks a runtime (a later issue): "<runtime>://<version>". */
export const DEFAULT_CONTAINER_RUNTIME_VERSION = 'unknown://';
export const EDGE_ROLE_LABEL = 'node-role.kubernetes.io/edge';

export type ResourceList = Record<'cpu' | 'ephemeral-storage' | 'memory' | 'pods', string>;

export interface NodeAddress {
  type: 'InternalIP' | 'Hostname';
  address: string;
}

/** v1 NodeSystemInfo (all fields, as Go marshals them). */
export interface NodeSystemInfo {
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
  containerRuntimeVersion: string;
  kubeletVersion: string;
  kubeProxyVersion: string;
  operatingSystem: string;
  architecture: string;
}

export interface NodeStatus {
  capacity: ResourceList;
  allocatable: ResourceList;
  conditions: NodeCondition[];
  addresses: NodeAddress[];
  nodeInfo: NodeSystemInfo;
}

export interface NodeStatusOptions {
  nodeName: string;
  maxPods: number;
  kubeletVersion: string;
  containerRuntimeVersion: string;
}

/** A byte count as a Kubernetes quantity: "<n>Ki" when it divides evenly, else plain bytes. */
export function bytesQuantity(bytes: number): string {
  const n = Math.max(0, Math.floor(bytes));
  return n % 1024 === 0 ? `${n / 1024}Ki` : String(n);
}

export function buildNodeStatus(facts: NodeFacts, conditions: NodeCondition[], opts: NodeStatusOptions): NodeStatus {
  const storage = facts.storageTotalBytes;
  const capacity: ResourceList = {
    cpu: String(facts.cpuCores),
    'ephemeral-storage': bytesQuantity(storage),
    memory: `${facts.memoryTotalKi}Ki`,
    pods: String(opts.maxPods),
  };
  const allocatable: ResourceList = {
    cpu: String(facts.cpuCores),
    'ephemeral-storage': bytesQuantity(storage - Math.ceil(storage * STORAGE_AVAILABLE_MIN_FRACTION)),
    memory: `${Math.max(0, facts.memoryTotalKi - MEMORY_AVAILABLE_THRESHOLD_KI)}Ki`,
    pods: String(opts.maxPods),
  };
  const addresses: NodeAddress[] = [];
  if (facts.internalIP) addresses.push({ type: 'InternalIP', address: facts.internalIP });
  // KubeEdge and kubelet report the node name (hostname override) as the Hostname address.
  addresses.push({ type: 'Hostname', address: opts.nodeName });
  const nodeInfo: NodeSystemInfo = {
    machineID: facts.os.machineID,
    systemUUID: facts.os.systemUUID,
    bootID: facts.os.bootID,
    kernelVersion: facts.os.kernelVersion,
    osImage: facts.os.osImage,
    containerRuntimeVersion: opts.containerRuntimeVersion,
    kubeletVersion: opts.kubeletVersion,
    kubeProxyVersion: '',
    operatingSystem: facts.os.operatingSystem,
    architecture: facts.os.architecture,
  };
  return { capacity, allocatable, conditions, addresses, nodeInfo };
}

/** Labels kubelet and KubeEdge put on a new node, then the configured nodeLabels (which win). */
export function nodeLabels(nodeName: string, status: NodeStatus, extra: Record<string, string>): Record<string, string> {
  return {
    [EDGE_ROLE_LABEL]: '',
    'kubernetes.io/hostname': nodeName,
    'kubernetes.io/os': status.nodeInfo.operatingSystem,
    'kubernetes.io/arch': status.nodeInfo.architecture,
    ...extra,
  };
}

/** The v1 Node sent on registration. */
export function buildNode(nodeName: string, status: NodeStatus, extraLabels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: nodeName, labels: nodeLabels(nodeName, status, extraLabels) },
    spec: {},
    status,
  };
}

/**
 * The status with the heartbeat times removed: two statuses with equal keys differ only in
 * heartbeats, which alone never justify an upload (the lease is the heartbeat).
 */
export function statusKey(status: NodeStatus): string {
  return JSON.stringify({ ...status, conditions: status.conditions.map(({ lastHeartbeatTime: _hb, ...rest }) => rest) });
}
