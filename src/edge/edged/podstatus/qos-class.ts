// The pod's QoS class (kubelet: v1qos.ComputePodQOS). Only cpu and memory count.
import type { Json, Pod } from '../pod-contracts.js';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A resource.Quantity as a number in its base unit ("500m" -> 0.5, "1Gi" -> 2^30); NaN when malformed. */
export function quantityValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return Number.NaN;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|([a-zA-Z]*))$/.exec(v.trim());
  if (!m) return Number.NaN;
  const [, num = '', exp, suffix = ''] = m;
  if (exp !== undefined) return Number(num + exp);
  const scale = SUFFIX[suffix];
  return scale === undefined ? Number.NaN : Number(num) * scale;
}

function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

const QOS_RESOURCES = ['cpu', 'memory'] as const;

export function computeQosClass(pod: Pod): QosClass {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  const containers = [
    ...(Array.isArray(pod.spec.containers) ? pod.spec.containers : []),
    ...(Array.isArray(pod.spec.initContainers) ? pod.spec.initContainers : []),
  ].map(obj);
  for (const c of containers) {
    const resources = obj(c.resources);
    const req = obj(resources.requests);
    const lim = obj(resources.limits);
    const limitsFound = new Set<string>();
    for (const name of QOS_RESOURCES) {
      // API defaulting: a limit without a request requests the limit (static pods are not defaulted).
      const r = quantityValue(req[name] ?? lim[name]);
      if (r > 0) requests.set(name, (requests.get(name) ?? 0) + r);
      const l = quantityValue(lim[name]);
      if (l > 0) {
        limitsFound.add(name);
        limits.set(name, (limits.get(name) ?? 0) + l);
      }
    }
    if (!QOS_RESOURCES.every((n) => limitsFound.has(n))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, r] of requests) {
      const l = limits.get(name);
      if (l === undefined || Math.abs(l - r) > 1e-9 * Math.max(1, l)) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
