// The pod phase from its container statuses (kubelet: getPhase in kubelet_pods.go, 1.29+ with sidecars).
import type { Json, PodContainer } from '../pod-contracts.js';
import { isRestartableInit } from './container-status.js';

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

function obj(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

const stateOf = (s: Json) => ({
  running: obj(obj(s.state)?.running),
  terminated: obj(obj(s.state)?.terminated),
  waiting: obj(obj(s.state)?.waiting),
  lastTerminated: obj(obj(s.lastState)?.terminated),
});

/** kubecontainer.HasAnyRegularContainerStarted. */
export function anyRegularContainerStarted(containers: PodContainer[], statuses: ReadonlyMap<string, Json>): boolean {
  return containers.some((c) => {
    const s = statuses.get(c.name);
    if (!s) return false;
    const st = stateOf(s);
    return st.running !== undefined || st.terminated !== undefined;
  });
}

export interface PhaseInput {
  initContainers: PodContainer[];
  containers: PodContainer[];
  restartPolicy: string;
  /** Statuses by container name (init and regular). */
  statuses: ReadonlyMap<string, Json>;
  /** The pod will not run again (being deleted, all its containers stopped): kubelet's podIsTerminal. */
  podIsTerminal: boolean;
}

export function podPhase(input: PhaseInput): PodPhase {
  const { statuses, restartPolicy } = input;
  let pendingInitialization = 0;
  let failedInitialization = 0;
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of input.initContainers) {
    const s = statuses.get(c.name);
    const st = s ? stateOf(s) : undefined;
    if (isRestartableInit(c)) {
      // Sidecars count like regular containers, but a stopped sidecar never makes the pod terminal.
      if (!st) unknown++;
      else if (st.running) {
        if (s?.started !== true) pendingInitialization++;
        running++;
      } else if (st.terminated) {
        // ignored
      } else if (st.waiting) {
        if (!st.lastTerminated) {
          pendingInitialization++;
          waiting++;
        }
      } else {
        pendingInitialization++;
        unknown++;
      }
      continue;
    }
    if (!st || st.running) pendingInitialization++;
    else if (st.terminated) {
      if (st.terminated.exitCode !== 0) failedInitialization++;
    } else if (st.waiting && st.lastTerminated) {
      if (st.lastTerminated.exitCode !== 0) failedInitialization++;
    } else pendingInitialization++;
  }
  for (const c of input.containers) {
    const s = statuses.get(c.name);
    const st = s ? stateOf(s) : undefined;
    if (!st) unknown++;
    else if (st.running) running++;
    else if (st.terminated) {
      stopped++;
      if (st.terminated.exitCode === 0) succeeded++;
    } else if (st.waiting) {
      if (st.lastTerminated) stopped++;
      else waiting++;
    } else unknown++;
  }

  if (failedInitialization > 0 && restartPolicy === 'Never') return 'Failed';
  if ((pendingInitialization > 0 && !anyRegularContainerStarted(input.containers, statuses)) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    // A terminal pod's containers will not restart whatever the policy says.
    if (input.podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (restartPolicy === 'Always') return 'Running'; // all restarting
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running'; // OnFailure: the failed ones are restarting
  }
  return 'Pending';
}
