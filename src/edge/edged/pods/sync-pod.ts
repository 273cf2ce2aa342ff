// One sync of one pod (kubelet SyncPod / SyncTerminatingPod / SyncTerminatedPod): bring the runtime
// to what the pod spec asks, and return the runtime's view for the status. Serialized per pod by the
// workers; only an unavailable runtime (or a bug) throws.
import { isDeleting } from './pod-fields.js';
import { syncInitContainers, syncRegularContainers } from './containers.js';
import { killPod, removePod } from './kill-pod.js';
import { errorText, isUnavailable, type PodRuntime } from './runtime-state.js';
import { ensureSandbox } from './sandbox.js';
import type { PodState, SyncContext } from './sync-context.js';

export type SyncOutcome =
  | { kind: 'running'; rt: PodRuntime }
  /** Containers stopped for a deletion: report the final status (always, even when unchanged). */
  | { kind: 'terminated'; rt: PodRuntime; first: boolean }
  /** Gone from the store and from the runtime: forget the pod. */
  | { kind: 'removed' };

/** terminal: the pod's last status phase is Succeeded or Failed (nothing runs again). */
export async function syncPod(ctx: SyncContext, st: PodState, terminal: boolean): Promise<SyncOutcome> {
  if (st.removed) {
    if (!st.terminated) await killPod(ctx, st, await ctx.state.load(st.uid));
    st.terminated = true;
    await removePod(ctx, st, await ctx.state.load(st.uid));
    return { kind: 'removed' };
  }
  if (isDeleting(st.pod)) {
    const first = !st.terminated;
    if (first) await killPod(ctx, st, await ctx.state.load(st.uid));
    st.terminated = true;
    return { kind: 'terminated', rt: await ctx.state.load(st.uid), first };
  }
  const rt = await ctx.state.load(st.uid);
  if (terminal) {
    // kubelet SyncTerminatedPod: nothing restarts; the sandbox is released.
    ctx.prober.remove(st.uid);
    const ready = rt.sandboxes.filter((s) => s.state === 'ready');
    for (const sb of ready) await ctx.runtime.runtime.stopPodSandbox(sb.id);
    return { kind: 'running', rt: ready.length === 0 ? rt : await ctx.state.load(st.uid) };
  }
  if (!st.noIsolationReported && !ctx.runtime.isolates) {
    st.noIsolationReported = true;
    ctx.events.record(st.pod, 'Warning', 'NoIsolation', 'Containers of this pod run as host processes without isolation (process runtime)');
  }
  if (!(await ensureVolumes(ctx, st))) return { kind: 'running', rt };
  const sb = await ensureSandbox(ctx, st, rt);
  if (sb === undefined) return { kind: 'running', rt: await ctx.state.load(st.uid) };
  let now = rt.sandbox?.id === sb.id ? rt : await ctx.state.load(st.uid);
  if (await syncInitContainers(ctx, st, now, sb)) await syncRegularContainers(ctx, st, now, sb);
  now = await ctx.state.load(st.uid);
  if (await prune(ctx, now)) now = await ctx.state.load(st.uid);
  return { kind: 'running', rt: now };
}

/**
 * Volumes before the sandbox (kubelet WaitForAttachAndMount). A failed setUp is a FailedMount event;
 * before the first success the pod waits (ContainerCreating) and retries with back-off; after it,
 * the files last written stay and containers keep running.
 */
async function ensureVolumes(ctx: SyncContext, st: PodState): Promise<boolean> {
  if (!st.volumesDirty && st.volumes !== undefined) return true;
  const key = `${st.uid}/volumes`;
  try {
    st.volumes = await ctx.volumes.setUp(st.pod);
    st.volumesDirty = false;
    ctx.backoff.reset(key);
    if (st.podReason?.reason === 'FailedMount') st.podReason = undefined;
    return true;
  } catch (err) {
    if (isUnavailable(err)) throw err;
    ctx.events.record(st.pod, 'Warning', 'FailedMount', errorText(err));
    const now = ctx.now();
    ctx.backoff.next(key, now);
    ctx.wake(st.uid, now + Math.max(1, ctx.backoff.remaining(key, now)));
    return st.volumes !== undefined;
  }
}

/** Keeps the newest two instances of each container (current and lastState) and sandboxes still holding one. */
async function prune(ctx: SyncContext, rt: PodRuntime): Promise<boolean> {
  const rts = ctx.runtime.runtime;
  const keep = new Set<string>();
  const doomed: string[] = [];
  for (const list of rt.containers.values()) {
    list.forEach((s, i) => {
      if (i < 2 || s.state !== 'exited') keep.add(s.podSandboxId);
      else doomed.push(s.id);
    });
  }
  for (const id of doomed) await rts.removeContainer(id);
  const newest = rt.sandboxes[0]?.id;
  const oldSandboxes = rt.sandboxes.filter((s) => s.id !== newest && s.state !== 'ready' && !keep.has(s.id));
  for (const sb of oldSandboxes) await rts.removePodSandbox(sb.id);
  ctx.state.drop([...doomed, ...oldSandboxes.map((s) => s.id)]);
  return doomed.length > 0 || oldSandboxes.length > 0;
}
