// runtime.v1 response messages -> our runtime shapes. Pure. CRI times are int64 nanoseconds since the
// epoch; ours are milliseconds (0 = not set).
import type {
  Container, ContainerState, ContainerStats, ContainerStatus, Image, PodSandbox, PodSandboxStatus, RuntimeCondition,
  RuntimeVersion, SandboxState,
} from '../types.js';
import type {
  Int64, WireContainer, WireContainerState, WireContainerStats, WireContainerStatus, WireImage, WirePodSandbox,
  WirePodSandboxStatus, WireRuntimeCondition, WireSandboxState, WireVersionResponse,
} from './messages.js';

export function nsToMs(v: Int64 | null | undefined): number {
  if (v === null || v === undefined || v === '' || v === 0 || v === '0') return 0;
  if (typeof v === 'number') return Math.floor(v / 1e6);
  return Number(BigInt(v) / 1_000_000n);
}

export function int64ToNumber(v: Int64 | null | undefined): number {
  if (v === null || v === undefined || v === '') return 0;
  return typeof v === 'number' ? v : Number(v);
}

const containerStates: Record<WireContainerState, ContainerState> = {
  CONTAINER_CREATED: 'created', CONTAINER_RUNNING: 'running', CONTAINER_EXITED: 'exited', CONTAINER_UNKNOWN: 'unknown',
};

export function fromWireContainerState(s: WireContainerState | string): ContainerState {
  return containerStates[s as WireContainerState] ?? 'unknown';
}

export function fromWireSandboxState(s: WireSandboxState | string): SandboxState {
  return s === 'SANDBOX_READY' ? 'ready' : 'notready';
}

export function fromWireVersion(v: WireVersionResponse): RuntimeVersion {
  return { version: v.version, runtimeName: v.runtimeName, runtimeVersion: v.runtimeVersion, runtimeApiVersion: v.runtimeApiVersion };
}

export function fromWireCondition(c: WireRuntimeCondition): RuntimeCondition {
  return { type: c.type, status: c.status, reason: c.reason, message: c.message };
}

const sandboxMetadata = (m: WirePodSandbox['metadata']): PodSandbox['metadata'] =>
  ({ name: m?.name ?? '', uid: m?.uid ?? '', namespace: m?.namespace ?? '', attempt: m?.attempt ?? 0 });

export function fromWireSandbox(s: WirePodSandbox): PodSandbox {
  return {
    id: s.id,
    metadata: sandboxMetadata(s.metadata),
    state: fromWireSandboxState(s.state),
    createdAt: nsToMs(s.createdAt),
    labels: { ...s.labels },
    annotations: { ...s.annotations },
  };
}

export function fromWireSandboxStatus(s: WirePodSandboxStatus): PodSandboxStatus {
  return {
    ...fromWireSandbox(s),
    network: { ip: s.network?.ip ?? '', additionalIps: (s.network?.additionalIps ?? []).map((p) => p.ip) },
    hostNetwork: s.linux?.namespaces?.options?.network === 'NODE',
  };
}

export function fromWireContainer(c: WireContainer): Container {
  return {
    id: c.id,
    podSandboxId: c.podSandboxId,
    metadata: { name: c.metadata?.name ?? '', attempt: c.metadata?.attempt ?? 0 },
    image: c.image?.image ?? '',
    imageRef: c.imageRef,
    state: fromWireContainerState(c.state),
    createdAt: nsToMs(c.createdAt),
    labels: { ...c.labels },
    annotations: { ...c.annotations },
  };
}

/**
 * containerd stamps startedAt after the task's Start returns, while finishedAt is the exit time the
 * shim saw, so a container that exits at once can show a finish a millisecond before its start.
 * The finish is clamped to the start, so a pod status never runs backwards.
 */
export function fromWireContainerStatus(c: WireContainerStatus): ContainerStatus {
  const startedAt = nsToMs(c.startedAt);
  const finishedAt = nsToMs(c.finishedAt);
  return {
    id: c.id,
    metadata: { name: c.metadata?.name ?? '', attempt: c.metadata?.attempt ?? 0 },
    state: fromWireContainerState(c.state),
    createdAt: nsToMs(c.createdAt),
    startedAt,
    finishedAt: finishedAt > 0 && startedAt > finishedAt ? startedAt : finishedAt,
    exitCode: c.exitCode,
    image: c.image?.image ?? '',
    imageRef: c.imageRef,
    reason: c.reason,
    message: c.message,
    labels: { ...c.labels },
    annotations: { ...c.annotations },
    logPath: c.logPath,
  };
}

export function fromWireStats(id: string, s: WireContainerStats | null, now: number): ContainerStats {
  const out: ContainerStats = { id: s?.attributes?.id || id, timestamp: nsToMs(s?.cpu?.timestamp) || nsToMs(s?.memory?.timestamp) || now };
  if (s?.cpu?.usageCoreNanoSeconds) out.cpuUsageCoreNanoSeconds = int64ToNumber(s.cpu.usageCoreNanoSeconds.value);
  if (s?.memory?.workingSetBytes) out.memoryWorkingSetBytes = int64ToNumber(s.memory.workingSetBytes.value);
  return out;
}

export function fromWireImage(i: WireImage): Image {
  return { id: i.id, repoTags: [...i.repoTags], repoDigests: [...i.repoDigests], size: int64ToNumber(i.size) };
}
