// DaemonSet RollingUpdate (maxSurge 0): which old pods to delete now so their replacements start,
// keeping at most maxUnavailable (default 1, percentages of desired nodes rounded up) nodes without an
// available daemon pod. Old pods that are not available anyway are replaced at once.
import type { KubeObject } from '../../api/index.js';
import { revisionHashLabel, placementOn } from './daemonset-placement.js';
import { intOrPercent } from './deployment-rollout.js';
import { numberField, specOf } from './kube-types.js';
import { isAvailable } from './pod-state.js';

export function maxUnavailableOf(ds: KubeObject, desired: number): number {
  const ru = (specOf(ds).updateStrategy as { rollingUpdate?: { maxUnavailable?: unknown } } | undefined)?.rollingUpdate;
  const n = intOrPercent(ru?.maxUnavailable ?? 1, desired, true);
  return n > 0 ? n : 1;
}

export function rollingUpdateDeletions(ds: KubeObject, nodes: KubeObject[], byNode: Map<string, KubeObject[]>,
  hash: string, now: Date): KubeObject[] {
  const minReadySeconds = numberField(specOf(ds), 'minReadySeconds');
  const desired = nodes.filter((n) => placementOn(ds, n).shouldRun).length;
  const maxUnavailable = maxUnavailableOf(ds, desired);
  let unavailable = 0;
  const replaceNow: KubeObject[] = [];
  const candidates: KubeObject[] = [];
  for (const nodeName of [...byNode.keys()].sort()) {
    const live = (byNode.get(nodeName) ?? []).filter((p) => !p.metadata.deletionTimestamp);
    const fresh = live.filter((p) => p.metadata.labels?.[revisionHashLabel] === hash);
    const old = live.filter((p) => p.metadata.labels?.[revisionHashLabel] !== hash);
    if (live.length !== 1) { unavailable++; continue; }
    const pod = live[0] as KubeObject;
    if (fresh.length === 1) {
      if (!isAvailable(pod, minReadySeconds, now)) unavailable++;
      continue;
    }
    if (old.length !== 1) continue;
    if (!isAvailable(pod, minReadySeconds, now)) {
      replaceNow.push(pod);
      unavailable++;
    } else if (unavailable < maxUnavailable) {
      candidates.push(pod);
    }
  }
  const room = Math.max(0, maxUnavailable - unavailable);
  return [...replaceNow, ...candidates.slice(0, room)];
}
