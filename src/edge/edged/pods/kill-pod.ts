// Stopping a pod (kubelet killPod): each running container gets its preStop hook, then SIGTERM with
// what remains of the grace period (at least 2 s, kubelet's minimum, unless the grace is 0), in
// parallel; then the sandbox stops. Removal (the pod left the store) also deletes containers and
// sandboxes and tears the volumes down.
import { rm } from 'node:fs/promises';
import type { ContainerStatus } from '../../runtime/types.js';
import { containersOf, gracePeriodSeconds, hookOf } from './pod-fields.js';
import { runHook } from './hooks.js';
import { errorText, isUnavailable, type PodRuntime } from './runtime-state.js';
import type { PodState, SyncContext } from './sync-context.js';

const MIN_GRACE_S = 2;

export async function killPod(ctx: SyncContext, st: PodState, rt: PodRuntime, graceSeconds = gracePeriodSeconds(st.pod)): Promise<void> {
  const deadline = ctx.now() + graceSeconds * 1000;
  const live = rt.all.filter((s) => s.state === 'running' || s.state === 'created' || s.state === 'unknown');
  await Promise.all(live.map((s) => stopOne(ctx, st, s, graceSeconds, deadline)));
  ctx.prober.remove(st.uid);
  for (const sb of rt.sandboxes) {
    if (sb.state === 'ready') await ctx.runtime.runtime.stopPodSandbox(sb.id);
  }
}

async function stopOne(ctx: SyncContext, st: PodState, s: ContainerStatus, graceSeconds: number, deadline: number): Promise<void> {
  const name = s.metadata.name;
  const init = containersOf(st.pod, 'init').find((c) => c.name === name);
  const spec = init ?? containersOf(st.pod, 'regular').find((c) => c.name === name);
  const who = { name, kind: init !== undefined ? ('init' as const) : ('regular' as const) };
  if (s.state === 'running') ctx.events.record(st.pod, 'Normal', 'Killing', `Stopping container ${name}`, who);
  const preStop = spec === undefined ? undefined : hookOf(spec, 'preStop');
  if (preStop !== undefined && s.state === 'running' && graceSeconds > 0 && spec !== undefined) {
    const r = await runHook(ctx, { pod: st.pod, container: spec, containerId: s.id, podIP: '' }, preStop, graceSeconds);
    if (!r.ok) ctx.events.record(st.pod, 'Warning', 'FailedPreStopHook', `PreStopHook failed: ${r.message}`, who);
  }
  const left = Math.ceil((deadline - ctx.now()) / 1000);
  const timeout = graceSeconds === 0 ? 0 : Math.max(MIN_GRACE_S, left);
  try {
    await ctx.runtime.runtime.stopContainer(s.id, timeout);
  } catch (err) {
    if (isUnavailable(err)) throw err;
    ctx.log.warn('stop container failed', { pod: st.pod.metadata.name, container: name, error: errorText(err) });
  }
}

/** Removes every container and sandbox of the pod and its directories (after killPod). */
export async function removePod(ctx: SyncContext, st: PodState, rt: PodRuntime): Promise<void> {
  const rts = ctx.runtime.runtime;
  for (const s of rt.all) await rts.removeContainer(s.id);
  for (const sb of rt.sandboxes) await rts.removePodSandbox(sb.id);
  ctx.state.drop([...rt.all.map((s) => s.id), ...rt.sandboxes.map((s) => s.id)]);
  try {
    await ctx.volumes.tearDown(st.uid);
    await rm(ctx.dirs.podDir(st.uid), { recursive: true, force: true });
    await rm(ctx.dirs.podLogDir(st.pod), { recursive: true, force: true });
  } catch (err) {
    ctx.log.warn('pod cleanup failed', { pod: st.pod.metadata.name, error: errorText(err) });
  }
}
