// The pod status kubelet would report (kubelet: generateAPIPodStatus plus the status manager's
// normalisation): phase, conditions, container statuses, IPs, startTime and QoS class.
import { formatTime } from '../node-conditions.js';
import type { ComputePodStatus, ContainerView, Json, PodContainer, SameStatus } from '../pod-contracts.js';
import { KUBELET_CONDITIONS, generateConditions, withTransitionTimes } from './conditions.js';
import { containerStatus, truncateMessages } from './container-status.js';
import { podPhase, type PodPhase } from './phase.js';
import { podQosClass } from '../podspec/index.js';

function obj(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

function list(v: unknown): Json[] {
  return Array.isArray(v) ? v.flatMap((x) => (obj(x) ? [x as Json] : [])) : [];
}

function specContainers(v: unknown): PodContainer[] {
  return list(v).filter((c): c is PodContainer => typeof c.name === 'string');
}

function byName(statuses: unknown): Map<string, Json> {
  return new Map(list(statuses).flatMap((s) => (typeof s.name === 'string' ? [[s.name, s] as const] : [])));
}

const TERMINAL: readonly unknown[] = ['Succeeded', 'Failed'];

function podIPs(input: Parameters<ComputePodStatus>[0], old: Json): string[] {
  if (input.pod.spec.hostNetwork === true) return input.hostIP ? [input.hostIP] : [];
  const net = input.sandbox?.network;
  if (net && net.ip !== '') return [net.ip, ...net.additionalIps.filter((ip) => ip !== '' && ip !== net.ip)];
  // No sandbox IP (not created yet, or removed after the pod ended): keep what was reported.
  return list(old.podIPs).flatMap((p) => (typeof p.ip === 'string' ? [p.ip] : []));
}

export const computePodStatus: ComputePodStatus = (input) => {
  const { pod } = input;
  const spec = pod.spec;
  const apiStatus = obj(pod.status) ?? {};
  const old = input.previous ?? apiStatus;
  const initSpecs = specContainers(spec.initContainers);
  const regularSpecs = specContainers(spec.containers);
  const views = new Map<string, ContainerView>(input.containers.map((v) => [`${v.kind}/${v.name}`, v]));
  const hasInitContainers = initSpecs.length > 0;
  const initStatuses = initSpecs.map((c) => containerStatus(c, views.get(`init/${c.name}`), 'init', {
    runtimeName: input.runtimeName, hasInitContainers, old: byName(old.initContainerStatuses),
  }));
  const regularStatuses = regularSpecs.map((c) => containerStatus(c, views.get(`regular/${c.name}`), 'regular', {
    runtimeName: input.runtimeName, hasInitContainers, old: byName(old.containerStatuses),
  }));
  truncateMessages([...initStatuses, ...regularStatuses], initSpecs.length + regularSpecs.length);
  const statuses = new Map<string, Json>([...initStatuses, ...regularStatuses].map((s) => [s.name as string, s]));

  const restartPolicy = typeof spec.restartPolicy === 'string' ? spec.restartPolicy : 'Always';
  let phase: PodPhase = podPhase({
    initContainers: initSpecs, containers: regularSpecs, restartPolicy, statuses,
    // A pod being deleted will not run again: once its containers stopped it ends by their exit codes.
    podIsTerminal: typeof pod.metadata.deletionTimestamp === 'string',
  });
  // A terminal phase never goes back (kubelet's three-way merge with the status manager and the API).
  if (!TERMINAL.includes(phase)) {
    if (TERMINAL.includes(input.previous?.phase)) phase = input.previous?.phase as PodPhase;
    else if (TERMINAL.includes(apiStatus.phase)) phase = apiStatus.phase as PodPhase;
  }

  const now = formatTime(input.now().getTime());
  const others = list(apiStatus.conditions).filter((c) => !(KUBELET_CONDITIONS as readonly unknown[]).includes(c.type));
  const generated = generateConditions({
    initContainers: initSpecs, containers: regularSpecs, statuses, phase,
    sandboxReady: input.sandbox?.state === 'ready',
    readinessGates: list(spec.readinessGates).flatMap((g) => (typeof g.conditionType === 'string' ? [g.conditionType] : [])),
    others,
  });
  const conditions = [...others, ...withTransitionTimes(generated, [list(input.previous?.conditions), list(apiStatus.conditions)], now)];

  const status: Json = { phase, conditions };
  if (input.podReason) {
    status.reason = input.podReason.reason;
    if (input.podReason.message) status.message = input.podReason.message;
  } else if (phase === old.phase) {
    // The reason and message that came with a phase stay with it.
    const reason = old.reason ?? apiStatus.reason;
    const message = old.message ?? apiStatus.message;
    if (typeof reason === 'string' && reason !== '') status.reason = reason;
    if (typeof message === 'string' && message !== '') status.message = message;
  }
  if (input.hostIP) {
    status.hostIP = input.hostIP;
    status.hostIPs = [{ ip: input.hostIP }];
  }
  const ips = podIPs(input, old);
  if (ips.length > 0) {
    status.podIP = ips[0];
    status.podIPs = ips.map((ip) => ({ ip }));
  }
  const startTime = input.previous?.startTime ?? apiStatus.startTime;
  status.startTime = typeof startTime === 'string' ? startTime : now;
  if (initStatuses.length > 0) status.initContainerStatuses = initStatuses;
  status.containerStatuses = regularStatuses;
  const qos = apiStatus.qosClass ?? input.previous?.qosClass;
  status.qosClass = typeof qos === 'string' && qos !== '' ? qos : podQosClass(pod);
  return status;
};

/** JSON with object keys sorted, so equal statuses compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    const o = obj(v);
    return o ? Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]])) : v;
  });
}

export const sameStatus: SameStatus = (a, b) => a !== undefined && canonicalJson(a) === canonicalJson(b);
