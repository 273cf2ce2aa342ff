// Stored records -> CRI shapes, and CRI list filters. Pure.
import type { Container, ContainerFilter, ContainerStatus, PodSandbox, PodSandboxStatus, SandboxFilter } from '../types.js';
import type { ContainerRecord, SandboxRecord } from './state-store.js';

/** CRI ids filter by exact id or unique-looking prefix (crictl passes short ids). */
function idMatches(id: string, want: string | undefined): boolean {
  return want === undefined || want === '' || id === want || id.startsWith(want);
}

function labelsMatch(labels: Record<string, string>, selector: Record<string, string> | undefined): boolean {
  if (selector === undefined) return true;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function sandboxMatches(rec: SandboxRecord, f: SandboxFilter | undefined): boolean {
  if (f === undefined) return true;
  return idMatches(rec.id, f.id) && (f.state === undefined || rec.state === f.state) && labelsMatch(rec.labels, f.labelSelector);
}

export function containerMatches(rec: ContainerRecord, f: ContainerFilter | undefined): boolean {
  if (f === undefined) return true;
  return (
    idMatches(rec.id, f.id) &&
    (f.podSandboxId === undefined || f.podSandboxId === '' || rec.podSandboxId === f.podSandboxId) &&
    (f.state === undefined || rec.state === f.state) &&
    labelsMatch(rec.labels, f.labelSelector)
  );
}

export function toPodSandbox(rec: SandboxRecord): PodSandbox {
  return {
    id: rec.id,
    metadata: { ...rec.metadata },
    state: rec.state,
    createdAt: rec.createdAt,
    labels: { ...rec.labels },
    annotations: { ...rec.annotations },
  };
}

/** Every process sandbox is on the host network, whatever the pod asked for. */
export function toPodSandboxStatus(rec: SandboxRecord, nodeIP: string): PodSandboxStatus {
  return { ...toPodSandbox(rec), network: { ip: nodeIP, additionalIps: [] }, hostNetwork: true };
}

export function toContainer(rec: ContainerRecord): Container {
  return {
    id: rec.id,
    podSandboxId: rec.podSandboxId,
    metadata: { ...rec.metadata },
    image: rec.image,
    imageRef: rec.imageRef,
    state: rec.state,
    createdAt: rec.createdAt,
    labels: { ...rec.labels },
    annotations: { ...rec.annotations },
  };
}

export function toContainerStatus(rec: ContainerRecord): ContainerStatus {
  return {
    id: rec.id,
    metadata: { ...rec.metadata },
    state: rec.state,
    createdAt: rec.createdAt,
    startedAt: rec.startedAt,
    finishedAt: rec.finishedAt,
    exitCode: rec.exitCode,
    image: rec.image,
    imageRef: rec.imageRef,
    reason: rec.reason,
    message: rec.message,
    labels: { ...rec.labels },
    annotations: { ...rec.annotations },
    logPath: rec.logPath,
  };
}

export const RESTART_MESSAGE = 'edgecore restarted: the process runtime does not keep processes across restarts';

/**
 * After an edgecore restart every container recorded as running is over: `alive` ones (pid and start
 * time still ours) are to be killed by the caller. Returns the pids to kill; marks all of them exited.
 */
export function markRunningAsExited(containers: Iterable<ContainerRecord>, alive: (rec: ContainerRecord) => boolean, now: number): number[] {
  const toKill: number[] = [];
  for (const rec of containers) {
    if (rec.state !== 'running') continue;
    if (rec.pid > 0 && alive(rec)) toKill.push(rec.pid);
    rec.state = 'exited';
    rec.exitCode = 137;
    rec.reason = 'Error';
    rec.message = RESTART_MESSAGE;
    rec.finishedAt = now;
    rec.pid = 0;
    rec.pidStartTime = '';
  }
  return toKill;
}
