// What to do with each container (kubelet computePodActions): init containers one at a time in
// order, each to exit 0; then every regular container kept running per restartPolicy, restarted on a
// liveness or startup probe failure or a spec change, with crash-loop back-off between restarts.
import type { ContainerStatus } from '../../runtime/types.js';
import { RuntimeAnnotations } from '../../runtime/types.js';
import type { PodContainer } from '../pod-contracts.js';
import { containersOf, formatDuration, podLabel, probeOf, restartPolicy, shouldRestart } from './pod-fields.js';
import { startContainer } from './start-container.js';
import type { Instance, PodRuntime } from './runtime-state.js';
import type { CurrentSandbox, PodState, SyncContext } from './sync-context.js';

/** Ran longer than this: the next crash starts back-off afresh (kubelet's 10 min reset). */
const BACKOFF_RESET_MS = 10 * 60_000;

/** Runs the next init container when due; true when all init containers have succeeded. */
export async function syncInitContainers(ctx: SyncContext, st: PodState, rt: PodRuntime, sb: CurrentSandbox): Promise<boolean> {
  const inits = containersOf(st.pod, 'init');
  if (inits.length === 0) return true;
  // kubelet: once a regular container exists in this sandbox, initialization is over.
  const regular = containersOf(st.pod, 'regular');
  if (regular.some((c) => (rt.containers.get(c.name) ?? []).some((s) => s.podSandboxId === sb.id))) return true;
  for (const c of inits) {
    const all = rt.containers.get(c.name) ?? [];
    const cur = all.find((s) => s.podSandboxId === sb.id);
    if (cur === undefined) {
      await startContainer(ctx, st, sb, { container: c, kind: 'init', newest: all[0], maxAttempt: maxAttempt(all) });
      return false;
    }
    if (cur.state === 'running' || cur.state === 'created') return false;
    if (cur.exitCode === 0) {
      st.waiting.delete(c.name);
      continue;
    }
    if (restartPolicy(st.pod) === 'Never') return false; // pod Failed (podstatus decides the phase)
    if (!inBackoff(ctx, st, c, 'init', cur)) {
      await startContainer(ctx, st, sb, { container: c, kind: 'init', newest: all[0], maxAttempt: maxAttempt(all) });
    }
    return false;
  }
  return true;
}

export async function syncRegularContainers(ctx: SyncContext, st: PodState, rt: PodRuntime, sb: CurrentSandbox): Promise<void> {
  const policy = restartPolicy(st.pod);
  await Promise.all(containersOf(st.pod, 'regular').map(async (c) => {
    const all = rt.containers.get(c.name) ?? [];
    const cur = all[0];
    const start = (): Promise<boolean> => startContainer(ctx, st, sb, { container: c, kind: 'regular', newest: cur, maxAttempt: maxAttempt(all) });
    if (cur === undefined) {
      await start();
      return;
    }
    if ((cur.state === 'running' || cur.state === 'created') && cur.podSandboxId === sb.id) {
      const kill = killReason(ctx, c, cur);
      if (kill === undefined) {
        if (cur.state === 'created') await ctx.runtime.runtime.startContainer(cur.id);
        else ctx.prober.add({ pod: st.pod, container: c, containerId: cur.id, podIP: sb.podIP });
        st.waiting.delete(c.name);
        return;
      }
      ctx.events.record(st.pod, 'Normal', 'Killing', kill, { name: c.name, kind: 'regular' });
      ctx.prober.remove(st.uid, cur.id);
      ctx.probeFailures.delete(`${cur.id}/startup`);
      ctx.probeFailures.delete(`${cur.id}/liveness`);
      await ctx.runtime.runtime.stopContainer(cur.id, graceOf(st));
      if (policy !== 'Never') await start();
      return;
    }
    ctx.prober.remove(st.uid, cur.id);
    if (cur.state === 'running' || cur.state === 'created') await ctx.runtime.runtime.stopContainer(cur.id, graceOf(st));
    const exitCode = cur.state === 'exited' ? cur.exitCode : -1;
    if (!shouldRestart(policy, exitCode)) {
      st.waiting.delete(c.name);
      return;
    }
    if (!inBackoff(ctx, st, c, 'regular', cur)) await start();
  }));
}

/** Why a running instance must be restarted, as kubelet words the Killing event; else undefined. */
function killReason(ctx: SyncContext, c: PodContainer, cur: Instance): string | undefined {
  const hash = cur.annotations[RuntimeAnnotations.containerHash];
  if (hash !== undefined && hash !== '' && hash !== ctx.parts.containerSpecHash(c)) {
    return `Container ${c.name} definition changed, will be restarted`;
  }
  if (cur.state !== 'running') return undefined;
  if (probeOf(c, 'startup') !== undefined && ctx.probeFailures.has(`${cur.id}/startup`)) {
    return `Container ${c.name} failed startup probe, will be restarted`;
  }
  const liveness = ctx.probeFailures.has(`${cur.id}/liveness`) || ctx.prober.result(cur.id, 'liveness') === 'failure';
  if (probeOf(c, 'liveness') !== undefined && liveness) {
    return `Container ${c.name} failed liveness probe, will be restarted`;
  }
  return undefined;
}

/**
 * kubelet doBackOff: the first crash restarts at once; each further one waits 10 s doubling to
 * 5 min, measured from the exit. Exits from before this edgecore started (a restart or reboot)
 * never count, so pods come back at once after an offline reboot.
 */
function inBackoff(ctx: SyncContext, st: PodState, c: PodContainer, kind: 'init' | 'regular', cur: Instance): boolean {
  const finished = cur.finishedAt > 0 ? cur.finishedAt : ctx.now();
  if (cur.finishedAt > 0 && cur.finishedAt < ctx.startedAt) return false;
  const key = `${st.uid}/${c.name}`;
  if (st.exitCounted.get(c.name) !== cur.id) {
    st.exitCounted.set(c.name, cur.id);
    const ranLong = cur.startedAt > 0 && finished - cur.startedAt > BACKOFF_RESET_MS;
    if (ranLong) ctx.backoff.reset(key);
    const crashes = ranLong ? 1 : (st.crashes.get(c.name) ?? 0) + 1;
    st.crashes.set(c.name, crashes);
    if (crashes > 1) {
      ctx.backoff.next(key, finished);
      st.backoffDelay.set(c.name, ctx.backoff.remaining(key, finished));
    }
  }
  if ((st.crashes.get(c.name) ?? 0) <= 1) return false;
  const now = ctx.now();
  const wait = ctx.backoff.remaining(key, now);
  if (wait <= 0) return false;
  const delay = formatDuration(st.backoffDelay.get(c.name) ?? wait);
  st.waiting.set(c.name, { reason: 'CrashLoopBackOff', message: `back-off ${delay} restarting failed container=${c.name} pod=${podLabel(st.pod)}` });
  ctx.events.record(st.pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${podLabel(st.pod)}`, { name: c.name, kind });
  ctx.wake(st.uid, now + wait);
  return true;
}

function maxAttempt(all: ContainerStatus[]): number {
  return all.reduce((m, s) => Math.max(m, s.metadata.attempt), -1);
}

function graceOf(st: PodState): number {
  const t = st.pod.spec['terminationGracePeriodSeconds'];
  return typeof t === 'number' && t >= 0 ? t : 30;
}
