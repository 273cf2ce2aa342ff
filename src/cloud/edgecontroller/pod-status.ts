// The pod status written for a podstatus report, as KubeEdge's updatePodStatus (taken from the
// kubelet status manager) prepares it: Ready and Initialized keep their lastTransitionTime while
// their status is unchanged, and startTime never changes once set. Pure.

interface Condition { type?: string; status?: string; lastTransitionTime?: string; [k: string]: unknown }
export interface PodStatusLike {
  phase?: string;
  startTime?: string;
  conditions?: Condition[];
  containerStatuses?: { state?: { running?: unknown; terminated?: unknown; waiting?: unknown } }[];
  [k: string]: unknown;
}

const TRACKED = ['Ready', 'Initialized'];

export function mergePodStatus(oldStatus: PodStatusLike | undefined, reported: PodStatusLike, nowIso: string): PodStatusLike {
  const out: PodStatusLike = { ...reported };
  if (reported.conditions) {
    out.conditions = reported.conditions.map((c) => {
      if (!c.type || !TRACKED.includes(c.type)) return c;
      const prev = oldStatus?.conditions?.find((o) => o.type === c.type);
      const keep = prev !== undefined && prev.status === c.status && prev.lastTransitionTime;
      return { ...c, lastTransitionTime: keep ? prev.lastTransitionTime : nowIso };
    });
  }
  if (oldStatus?.startTime) out.startTime = oldStatus.startTime;
  else if (!out.startTime) out.startTime = nowIso;
  return out;
}

/** No container is running (KubeEdge's isPodNotRunning): every state is terminated or waiting. */
export function noContainerRunning(status: PodStatusLike): boolean {
  return (status.containerStatuses ?? []).every((c) => c.state?.terminated !== undefined || c.state?.waiting !== undefined);
}

/** A terminating pod whose containers all ended: the cloud finishes the deletion (KubeEdge). */
export function readyToFinishDeletion(deletionTimestamp: string | undefined, status: PodStatusLike): boolean {
  return deletionTimestamp !== undefined && (status.phase === 'Succeeded' || status.phase === 'Failed') && noContainerRunning(status);
}
