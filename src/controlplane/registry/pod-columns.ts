// The pod table: READY, STATUS and RESTARTS summarised from container statuses with the same rules as
// kube-apiserver's pod printer (init progress "Init:0/1", waiting/terminated reasons, "Terminating",
// "Unknown" for pods on a lost node, restart counts with "(5m ago)").
import type { KubeObject } from '../../api/index.js';
import { formatDuration, parseTimestamp } from './age.js';
import { asArray, asNumber, asString, dig, isRecord, type JsonRecord } from './object-access.js';
import type { TableColumn } from './types.js';

export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

interface Tally {
  restarts: number;
  lastRestart: number;
  ready: number;
}

const records = (v: unknown): JsonRecord[] => asArray(v).filter(isRecord);

function lastTerminatedAt(status: JsonRecord): number {
  return parseTimestamp(dig(status, 'lastState', 'terminated', 'finishedAt'))?.getTime() ?? 0;
}

function terminatedReason(terminated: JsonRecord, prefix: string): string {
  const reason = asString(terminated.reason);
  if (reason) return prefix + reason;
  const signal = asNumber(terminated.signal);
  return signal !== 0 ? `${prefix}Signal:${signal}` : `${prefix}ExitCode:${asNumber(terminated.exitCode)}`;
}

/** Walks init container statuses; returns the init reason while initialisation is still under way. */
function initProgress(pod: KubeObject, tally: Tally, sidecars: Set<string>, sidecarTally: Tally): string | undefined {
  const statuses = records(dig(pod, 'status', 'initContainerStatuses'));
  const total = asArray(dig(pod, 'spec', 'initContainers')).length;
  for (const [i, cs] of statuses.entries()) {
    const isSidecar = sidecars.has(asString(cs.name));
    const restarts = asNumber(cs.restartCount);
    tally.restarts += restarts;
    tally.lastRestart = Math.max(tally.lastRestart, lastTerminatedAt(cs));
    if (isSidecar) {
      sidecarTally.restarts += restarts;
      sidecarTally.lastRestart = Math.max(sidecarTally.lastRestart, lastTerminatedAt(cs));
    }
    const terminated = dig(cs, 'state', 'terminated');
    const waitingReason = asString(dig(cs, 'state', 'waiting', 'reason'));
    if (isRecord(terminated) && asNumber(terminated.exitCode) === 0) continue;
    if (isSidecar && cs.started === true) {
      if (cs.ready === true) sidecarTally.ready++;
      continue;
    }
    if (isRecord(terminated)) return terminatedReason(terminated, 'Init:');
    if (waitingReason && waitingReason !== 'PodInitializing') return `Init:${waitingReason}`;
    return `Init:${i}/${total}`;
  }
  return undefined;
}

function hasCondition(pod: KubeObject, type: string): boolean {
  return records(dig(pod, 'status', 'conditions')).some((c) => c.type === type && c.status === 'True');
}

/** Walks app container statuses (last to first, as the printer does); returns the resulting reason. */
function containerProgress(pod: KubeObject, reason: string, tally: Tally): string {
  const statuses = records(dig(pod, 'status', 'containerStatuses'));
  let result = reason;
  let hasRunning = false;
  for (const cs of [...statuses].reverse()) {
    tally.restarts += asNumber(cs.restartCount);
    tally.lastRestart = Math.max(tally.lastRestart, lastTerminatedAt(cs));
    const waitingReason = asString(dig(cs, 'state', 'waiting', 'reason'));
    const terminated = dig(cs, 'state', 'terminated');
    if (waitingReason) result = waitingReason;
    else if (isRecord(terminated)) result = terminatedReason(terminated, '');
    else if (cs.ready === true && isRecord(dig(cs, 'state', 'running'))) {
      hasRunning = true;
      tally.ready++;
    }
  }
  if (result === 'Completed' && hasRunning) result = hasCondition(pod, 'Ready') ? 'Running' : 'NotReady';
  return result;
}

function baseReason(pod: KubeObject): string {
  let reason = asString(dig(pod, 'status', 'reason')) || asString(dig(pod, 'status', 'phase'));
  const gated = records(dig(pod, 'status', 'conditions'))
    .some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated');
  if (gated) reason = 'SchedulingGated';
  return reason;
}

export function summarizePod(pod: KubeObject, now: Date): PodSummary {
  const initContainers = records(dig(pod, 'spec', 'initContainers'));
  // Init containers with restartPolicy Always are sidecars: they run for the pod's life and count as containers.
  const sidecars = new Set(initContainers.filter((c) => c.restartPolicy === 'Always').map((c) => asString(c.name)));
  const totalContainers = asArray(dig(pod, 'spec', 'containers')).length + sidecars.size;
  const tally: Tally = { restarts: 0, lastRestart: 0, ready: 0 };
  const sidecarTally: Tally = { restarts: 0, lastRestart: 0, ready: 0 };
  let reason = baseReason(pod);
  const initReason = initProgress(pod, tally, sidecars, sidecarTally);
  let finalTally = tally;
  if (initReason !== undefined) reason = initReason;
  if (initReason === undefined || hasCondition(pod, 'Initialized')) {
    finalTally = { ...sidecarTally };
    reason = containerProgress(pod, reason, finalTally);
  } else {
    finalTally = { ...tally, ready: sidecarTally.ready };
  }
  const phase = asString(dig(pod, 'status', 'phase'));
  if (pod.metadata.deletionTimestamp && asString(dig(pod, 'status', 'reason')) === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  let restarts = String(finalTally.restarts);
  if (finalTally.restarts !== 0 && finalTally.lastRestart !== 0) {
    restarts = `${finalTally.restarts} (${formatDuration(now.getTime() - finalTally.lastRestart)} ago)`;
  }
  return { ready: `${finalTally.ready}/${totalContainers}`, status: reason, restarts };
}

function readinessGates(pod: KubeObject): string {
  const gates = records(dig(pod, 'spec', 'readinessGates'));
  if (gates.length === 0) return '<none>';
  const conditions = records(dig(pod, 'status', 'conditions'));
  const trueCount = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${trueCount}/${gates.length}`;
}

function podIP(pod: KubeObject): string {
  const first = records(dig(pod, 'status', 'podIPs'))[0];
  return asString(first?.ip) || asString(dig(pod, 'status', 'podIP')) || '<none>';
}

const summary = (pod: KubeObject, now?: Date): PodSummary => summarizePod(pod, now ?? new Date());

export function podColumns(age: TableColumn): TableColumn[] {
  return [
    { name: 'Ready', type: 'string', description: 'Ready containers out of all containers in the pod.', cell: (o, now) => summary(o, now).ready },
    { name: 'Status', type: 'string', description: 'Summary of the pod phase and container states.', cell: (o, now) => summary(o, now).status },
    { name: 'Restarts', type: 'string', description: 'Container restarts, with the time since the last one.', cell: (o, now) => summary(o, now).restarts },
    age,
    { name: 'IP', type: 'string', priority: 1, description: 'The first pod IP.', cell: podIP },
    { name: 'Node', type: 'string', priority: 1, description: 'The node the pod is bound to.', cell: (o) => asString(dig(o, 'spec', 'nodeName')) || '<none>' },
    { name: 'Nominated Node', type: 'string', priority: 1, description: 'The node preemption nominated for the pod.', cell: (o) => asString(dig(o, 'status', 'nominatedNodeName')) || '<none>' },
    { name: 'Readiness Gates', type: 'string', priority: 1, description: 'Readiness gates that are true out of all gates.', cell: readinessGates },
  ];
}
