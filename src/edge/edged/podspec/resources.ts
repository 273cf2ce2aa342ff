// CRI LinuxContainerResources from a container's requests/limits with kubelet's formulas
// (kuberuntime calculateLinuxResources, cm.MilliCPUToShares/milliCPUToQuota, qos.GetContainerOOMScoreAdjust).
import type { LinuxContainerResources } from '../../runtime/types.js';
import type { Pod, PodContainer } from '../pod-contracts.js';
import { obj, objs, str } from './json-fields.js';
import { parseCpuMilli, parseMemoryBytes } from './quantity.js';

export const cpuPeriodUs = 100_000;
const minShares = 2;
const maxShares = 262_144;
const minQuotaUs = 1000;

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

export function milliCpuToShares(milli: number): number {
  if (milli === 0) return minShares;
  return Math.min(maxShares, Math.max(minShares, Math.floor((milli * 1024) / 1000)));
}

export function milliCpuToQuota(milli: number, period = cpuPeriodUs): number {
  if (milli === 0) return 0;
  return Math.max(minQuotaUs, Math.floor((milli * period) / 1000));
}

interface CpuMem { cpu?: number; memory?: number }

function amounts(list: unknown): CpuMem {
  const o = obj(list);
  const cpu = parseCpuMilli(o['cpu']);
  const memory = parseMemoryBytes(o['memory']);
  return { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) };
}

/**
 * v1qos.ComputePodQOS over cpu and memory of init and regular containers. A request left unset takes
 * its limit first, as API defaulting does for every pod the API server stored.
 */
export function podQosClass(pod: Pod): QosClass {
  const req = new Map<string, number>();
  const lim = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number | undefined): void => { if (v) m.set(k, (m.get(k) ?? 0) + v); };
  let guaranteed = true;
  for (const c of [...objs(pod.spec['initContainers']), ...objs(pod.spec['containers'])]) {
    const l = amounts(obj(c['resources'])['limits']);
    const r = { ...l, ...amounts(obj(c['resources'])['requests']) };
    add(req, 'cpu', r.cpu); add(req, 'memory', r.memory);
    add(lim, 'cpu', l.cpu); add(lim, 'memory', l.memory);
    if (l.cpu === undefined || l.memory === undefined) guaranteed = false;
  }
  if (req.size === 0 && lim.size === 0) return 'BestEffort';
  if (guaranteed && req.size === lim.size && [...req].every(([k, v]) => lim.get(k) === v)) return 'Guaranteed';
  return 'Burstable';
}

/** kubelet GetContainerOOMScoreAdjust; memoryCapacity is the machine's memory in bytes. */
export function oomScoreAdj(pod: Pod, container: PodContainer, memoryCapacity: number): number {
  if (str(pod.spec['priorityClassName']) === 'system-node-critical') return -997;
  const qos = podQosClass(pod);
  if (qos === 'Guaranteed') return -997;
  if (qos === 'BestEffort') return 1000;
  const res = obj(container['resources']);
  const request = amounts(res['requests']).memory ?? amounts(res['limits']).memory ?? 0;
  const adj = 1000 - Math.floor((1000 * request) / memoryCapacity);
  // Burstable stays above Guaranteed (1000 + -997) and below BestEffort.
  if (adj < 3) return 3;
  if (adj === 1000) return 999;
  return adj;
}

export function linuxResources(pod: Pod, container: PodContainer, memoryCapacity: number): LinuxContainerResources {
  const resources = obj(container['resources']);
  const requestsObj = obj(resources['requests']);
  const requests = amounts(requestsObj);
  const limits = amounts(resources['limits']);
  // No cpu request but a limit: the request defaults to the limit (kubelet repeats API defaulting).
  const sharesFrom = requestsObj['cpu'] === undefined && limits.cpu ? limits.cpu : requests.cpu ?? 0;
  const out: LinuxContainerResources = { cpuShares: milliCpuToShares(sharesFrom), oomScoreAdj: oomScoreAdj(pod, container, memoryCapacity) };
  if (limits.cpu) {
    out.cpuPeriod = cpuPeriodUs;
    out.cpuQuota = milliCpuToQuota(limits.cpu);
  }
  if (limits.memory) out.memoryLimitInBytes = limits.memory;
  return out;
}
