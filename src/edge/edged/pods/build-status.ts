// The status input for podstatus/ (kubelet generateAPIPodStatus): one ContainerView per container
// in spec order, from the runtime's instances, the worker's waiting reasons and the probe results.
// A pod whose deletion finished gets kubelet's terminal treatment: every container terminated
// (ContainerStatusUnknown for ones that never ran to an end) and phase Succeeded or Failed, which is
// what the cloud waits for before it removes the pod.
import type { ContainerView, Json, PodContainer } from '../pod-contracts.js';
import { containersOf, formatTime, hostNetwork, probeOf, restartCountOf } from './pod-fields.js';
import type { PodRuntime } from './runtime-state.js';
import type { PodState, SyncContext } from './sync-context.js';

export function containerViews(ctx: SyncContext, st: PodState, rt: PodRuntime): ContainerView[] {
  const views: ContainerView[] = [];
  for (const kind of ['init', 'regular'] as const) {
    for (const c of containersOf(st.pod, kind)) views.push(view(ctx, st, rt, c, kind));
  }
  return views;
}

function view(ctx: SyncContext, st: PodState, rt: PodRuntime, c: PodContainer, kind: 'init' | 'regular'): ContainerView {
  const [current, previous] = rt.containers.get(c.name) ?? [];
  const running = current?.state === 'running';
  const started = running && current !== undefined && (probeOf(c, 'startup') === undefined || ctx.prober.result(current.id, 'startup') === 'success');
  const readyProbe = probeOf(c, 'readiness') === undefined || (current !== undefined && ctx.prober.result(current.id, 'readiness') === 'success');
  // Before a first instance, podstatus says ContainerCreating or PodInitializing by itself.
  const waiting = running || st.terminated ? undefined : st.waiting.get(c.name);
  return {
    name: c.name,
    kind,
    ...(current === undefined ? {} : { current }),
    ...(previous === undefined ? {} : { previous }),
    restartCount: current === undefined ? 0 : restartCountOf(current),
    ...(waiting === undefined ? {} : { waiting }),
    ready: running && started && readyProbe && kind === 'regular',
    started,
    ...(current?.imageRef ? { imageID: current.imageRef } : {}),
  };
}

export function computeStatus(ctx: SyncContext, st: PodState, rt: PodRuntime, previous: Json | undefined): Json {
  let sandbox = rt.sandbox;
  if (sandbox !== undefined && hostNetwork(st.pod)) {
    sandbox = { ...sandbox, network: { ip: ctx.node().nodeIP, additionalIps: [] } };
  }
  const status = ctx.parts.computePodStatus({
    pod: st.pod,
    ...(sandbox === undefined ? {} : { sandbox }),
    containers: containerViews(ctx, st, rt),
    hostIP: ctx.node().nodeIP,
    ...(previous === undefined ? {} : { previous }),
    runtimeName: ctx.runtime.kind === 'cri' ? 'containerd' : 'process',
    now: () => new Date(ctx.now()),
    ...(st.podReason === undefined ? {} : { podReason: st.podReason }),
  });
  return st.terminated ? terminalStatus(status, ctx.now()) : status;
}

const UNKNOWN_TERMINATION = {
  exitCode: 137,
  reason: 'ContainerStatusUnknown',
  message: 'The container could not be located when the pod was terminated',
};

/** kubelet status manager for a deleted pod: nothing left running or waiting; a terminal phase. */
export function terminalStatus(status: Json, now: number): Json {
  let allSucceeded = true;
  const fix = (list: unknown): unknown => {
    if (!Array.isArray(list)) return list;
    return list.map((cs: Json) => {
      const state = (cs['state'] ?? {}) as Json;
      const term = state['terminated'] as Json | undefined;
      if (term !== undefined) {
        if (term['exitCode'] !== 0) allSucceeded = false;
        return { ...cs, ready: false, started: false };
      }
      allSucceeded = false;
      return { ...cs, ready: false, started: false, state: { terminated: { ...UNKNOWN_TERMINATION, finishedAt: formatTime(now) } } };
    });
  };
  const containerStatuses = fix(status['containerStatuses']);
  const initContainerStatuses = fix(status['initContainerStatuses']);
  const conditions = Array.isArray(status['conditions'])
    ? (status['conditions'] as Json[]).map((c) => (c['type'] === 'Ready' || c['type'] === 'ContainersReady') && c['status'] !== 'False'
      ? { ...c, status: 'False', lastTransitionTime: formatTime(now), reason: 'PodCompleted' }
      : c)
    : status['conditions'];
  const phase = status['phase'] === 'Failed' || status['phase'] === 'Succeeded' ? status['phase'] : allSucceeded ? 'Succeeded' : 'Failed';
  return {
    ...status,
    phase,
    ...(conditions === undefined ? {} : { conditions }),
    ...(containerStatuses === undefined ? {} : { containerStatuses }),
    ...(initContainerStatuses === undefined ? {} : { initContainerStatuses }),
  };
}
