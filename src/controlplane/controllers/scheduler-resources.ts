// Resource accounting for the scheduler: what a pod requests and what a node still has.
// Units: cpu in millicores, everything else (memory, ephemeral-storage, extended resources) in whole units.
import type { KubeObject } from '../../api/index.js';
import { nodeStatus, podSpec, type Container, type ResourceList } from './kube-types.js';
import { milliValue, quantityValue } from './quantity.js';

export type Amounts = Map<string, number>;

/** Requests used for scoring when a container states none (kube-scheduler's non-zero defaults). */
const defaultCpuMilli = 100;
const defaultMemoryBytes = 200 * 1024 * 1024;

function amountOf(name: string, q: string | number): number {
  try {
    return name === 'cpu' ? milliValue(q) : quantityValue(q);
  } catch {
    return 0;
  }
}

function addList(into: Amounts, list: ResourceList | undefined): void {
  for (const [name, q] of Object.entries(list ?? {})) into.set(name, (into.get(name) ?? 0) + amountOf(name, q));
}

function maxInto(into: Amounts, other: Amounts): void {
  for (const [name, v] of other) if (v > (into.get(name) ?? 0)) into.set(name, v);
}

// The API server defaults missing requests to the limits; the object API may not, so we do it here.
function containerRequests(c: Container): Amounts {
  const out: Amounts = new Map();
  addList(out, { ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) });
  return out;
}

/** max(sum of app containers + sidecars, each init container + the sidecars started before it) + overhead. */
export function podRequests(pod: KubeObject): Amounts {
  const spec = podSpec(pod);
  const total: Amounts = new Map();
  const sidecars: Amounts = new Map();
  const initPeak: Amounts = new Map();
  for (const c of spec.initContainers ?? []) {
    const req = containerRequests(c);
    if (c.restartPolicy === 'Always') {
      for (const [k, v] of req) sidecars.set(k, (sidecars.get(k) ?? 0) + v);
      continue;
    }
    for (const [k, v] of sidecars) req.set(k, (req.get(k) ?? 0) + v);
    maxInto(initPeak, req);
  }
  for (const c of spec.containers ?? []) for (const [k, v] of containerRequests(c)) total.set(k, (total.get(k) ?? 0) + v);
  for (const [k, v] of sidecars) total.set(k, (total.get(k) ?? 0) + v);
  maxInto(total, initPeak);
  addList(total, spec.overhead);
  return total;
}

/** cpu and memory as the scorer sees them: containers without requests count the defaults. */
export function nonZeroRequests(pod: KubeObject): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of podSpec(pod).containers ?? []) {
    const req = containerRequests(c);
    cpu += req.get('cpu') || defaultCpuMilli;
    memory += req.get('memory') || defaultMemoryBytes;
  }
  return { cpu, memory };
}

/** What the scheduler knows about one node while placing one pod. */
export interface NodeInfo {
  node: KubeObject;
  /** Undefined when the node reports no status.allocatable at all: then nothing is checked. */
  allocatable: Amounts | undefined;
  requested: Amounts;
  nonZero: { cpu: number; memory: number };
  podCount: number;
}

export function buildNodeInfo(node: KubeObject, usage: { requested: Amounts; nonZero: { cpu: number; memory: number }; podCount: number }): NodeInfo {
  const alloc = nodeStatus(node).allocatable;
  let allocatable: Amounts | undefined;
  if (alloc) {
    allocatable = new Map();
    for (const [name, q] of Object.entries(alloc)) allocatable.set(name, amountOf(name, q));
  }
  return { node, allocatable, requested: usage.requested, nonZero: usage.nonZero, podCount: usage.podCount };
}

// Core resources a node does not report are treated as unbounded (hand-made test nodes often omit
// them); extended resources (names with a '/') must be reported to be requested, as in Kubernetes.
const coreResources = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods']);

/** The NodeResourcesFit reasons ("Too many pods", "Insufficient cpu", ...), empty when the pod fits. */
export function insufficientResources(info: NodeInfo, requests: Amounts): string[] {
  const reasons: string[] = [];
  const alloc = info.allocatable;
  if (!alloc) return reasons;
  const maxPods = alloc.get('pods');
  if (maxPods !== undefined && info.podCount + 1 > maxPods) reasons.push('Too many pods');
  for (const [name, want] of requests) {
    if (want <= 0 || name === 'pods') continue;
    const have = alloc.get(name);
    if (have === undefined && coreResources.has(name)) continue;
    if ((info.requested.get(name) ?? 0) + want > (have ?? 0)) reasons.push(`Insufficient ${name}`);
  }
  return reasons;
}

/** NodeResourcesLeastAllocated: 0..100, higher = more room left for cpu and memory after placing. */
export function leastAllocatedScore(info: NodeInfo, pod: KubeObject): number {
  const want = nonZeroRequests(pod);
  const score = (capacity: number | undefined, used: number): number => {
    if (capacity === undefined || capacity <= 0) return capacity === undefined ? 100 : 0;
    return Math.max(0, ((capacity - used) * 100) / capacity);
  };
  const cpu = score(info.allocatable?.get('cpu'), info.nonZero.cpu + want.cpu);
  const memory = score(info.allocatable?.get('memory'), info.nonZero.memory + want.memory);
  return (cpu + memory) / 2;
}
