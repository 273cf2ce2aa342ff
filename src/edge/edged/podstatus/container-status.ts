// core/v1 ContainerStatus from what the pod worker knows (kubelet: convertToAPIContainerStatuses).
import type { ContainerStatus } from '../../runtime/types.js';
import { formatTime } from '../node-conditions.js';
import type { ContainerView, Json, PodContainer } from '../pod-contracts.js';

export interface StatusContext {
  runtimeName: string;
  /** The pod has init containers: containers not created yet wait with PodInitializing, not ContainerCreating. */
  hasInitContainers: boolean;
  /** Statuses of the last report by name (for ContainerStatusUnknown and values of vanished containers). */
  old: ReadonlyMap<string, Json>;
}

/** Whether an init container is a sidecar (restartPolicy: Always on the init container). */
export function isRestartableInit(container: PodContainer): boolean {
  return container.restartPolicy === 'Always';
}

/** metav1.Time: RFC 3339 with seconds; the zero time is null. */
function apiTime(ms: number): string | null {
  return ms > 0 ? formatTime(ms) : null;
}

function withoutEmpty(o: Record<string, unknown>): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== '' && v !== undefined));
}

export function containerID(runtimeName: string, id: string): string {
  return `${runtimeName}://${id}`;
}

function asJson(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

/** kubelet's convertContainerStatus state mapping. */
export function apiState(cs: ContainerStatus, runtimeName: string, oldState: Json | undefined): Json {
  switch (cs.state) {
    case 'running':
      return { running: { startedAt: apiTime(cs.startedAt) } };
    case 'exited':
      return {
        terminated: withoutEmpty({
          exitCode: cs.exitCode, reason: cs.reason, message: cs.message,
          startedAt: apiTime(cs.startedAt), finishedAt: apiTime(cs.finishedAt), containerID: containerID(runtimeName, cs.id),
        }),
      };
    case 'unknown':
      if (asJson(oldState?.running)) {
        // A running container that can no longer be found has ended in a way nobody saw.
        return {
          terminated: {
            exitCode: 137, reason: 'ContainerStatusUnknown',
            message: 'The container could not be located when the pod was terminated', startedAt: null, finishedAt: null,
          },
        };
      }
      return { waiting: {} };
    case 'created':
      return { waiting: { reason: 'ContainerCreating' } };
  }
}

/** One container's status, with ready/started as the probe results and kubelet's rules allow. */
export function containerStatus(spec: PodContainer, view: ContainerView | undefined, kind: 'init' | 'regular', ctx: StatusContext): Json {
  const old = ctx.old.get(spec.name);
  const current = view?.current;
  const defaultWaiting: Json = { waiting: { reason: ctx.hasInitContainers ? 'PodInitializing' : 'ContainerCreating' } };
  if (!current) {
    // A terminated container the runtime no longer has keeps its last reported status (kubelet does the same).
    if (old && asJson(old.state)?.terminated !== undefined && !view?.waiting) return structuredClone(old);
  }
  let state: Json = current ? apiState(current, ctx.runtimeName, asJson(old?.state)) : defaultWaiting;
  let lastState: Json = {};
  if (view?.previous) lastState = apiState(view.previous, ctx.runtimeName, undefined);
  else if (old && (!current || old.containerID === containerID(ctx.runtimeName, current.id))) lastState = asJson(old.lastState) ?? {};
  const running = current?.state === 'running';
  if (view?.waiting && !running) {
    // The container will be (re)started: it waits, and its last run becomes lastState.
    if (state.terminated !== undefined) lastState = state;
    state = { waiting: withoutEmpty({ reason: view.waiting.reason, message: view.waiting.message }) };
  }
  let ready: boolean;
  let started: boolean;
  if (kind === 'init' && !isRestartableInit(spec)) {
    const terminated = asJson(state.terminated);
    ready = terminated !== undefined && terminated.exitCode === 0;
    started = running;
  } else {
    ready = running && (view?.ready ?? false);
    started = running && (view?.started ?? false);
  }
  const restartCount = view && (current || view.restartCount > 0) ? view.restartCount : typeof old?.restartCount === 'number' ? old.restartCount : 0;
  const status: Json = {
    name: spec.name,
    state,
    lastState,
    ready,
    restartCount,
    image: spec.image ?? current?.image ?? '',
    imageID: view?.imageID ?? current?.imageRef ?? '',
  };
  if (current) status.containerID = containerID(ctx.runtimeName, current.id);
  status.started = started;
  return status;
}

/** kubelet's normalizeStatus: termination messages share 12 KiB across the pod's containers. */
export function truncateMessages(statuses: Json[], containerCount: number): void {
  const perStatus = Math.floor((12 * 1024) / Math.max(1, containerCount));
  for (const s of statuses) {
    for (const key of ['state', 'lastState']) {
      const terminated = asJson(asJson(s[key])?.terminated);
      if (terminated && typeof terminated.message === 'string' && terminated.message.length > perStatus) {
        terminated.message = terminated.message.slice(0, perStatus);
      }
    }
  }
}
