// The pod sandbox (kubelet computePodActions / createPodSandbox): reuse the newest ready sandbox;
// otherwise kill what is left of the pod and run a new one with the next attempt number. With
// restartPolicy Never a pod whose containers already ran gets no new sandbox (kubelet does the same).
import { mkdir } from 'node:fs/promises';
import type { PodSandboxConfig, PodSandboxMetadata } from '../../runtime/types.js';
import { RuntimeLabels } from '../../runtime/types.js';
import { gracePeriodSeconds, hostNetwork, restartPolicy } from './pod-fields.js';
import { errorText, isUnavailable, type PodRuntime } from './runtime-state.js';
import type { CurrentSandbox, PodState, SyncContext } from './sync-context.js';

export async function ensureSandbox(ctx: SyncContext, st: PodState, rt: PodRuntime): Promise<CurrentSandbox | undefined> {
  const newest = rt.sandboxes[0];
  if (newest !== undefined && newest.state === 'ready' && rt.sandbox !== undefined) {
    const config = st.sandboxConfigs.get(newest.id) ?? buildConfig(ctx, st, newest.metadata.attempt);
    st.sandboxConfigs.set(newest.id, config);
    return current(ctx, st, newest.id, config, rt.sandbox);
  }
  if (newest !== undefined && restartPolicy(st.pod) === 'Never' && rt.all.length > 0) return undefined;
  const key = `${st.uid}/sandbox`;
  const now = ctx.now();
  const wait = ctx.backoff.remaining(key, now);
  if (wait > 0) {
    ctx.wake(st.uid, now + wait);
    return undefined;
  }
  if (newest !== undefined) {
    ctx.events.record(st.pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
    await stopLeftovers(ctx, st, rt);
  }
  const attempt = newest === undefined ? 0 : Math.max(...rt.sandboxes.map((s) => s.metadata.attempt)) + 1;
  const config = buildConfig(ctx, st, attempt);
  let id: string;
  try {
    await mkdir(config.logDirectory, { recursive: true });
    id = await ctx.runtime.runtime.runPodSandbox(config);
  } catch (err) {
    if (isUnavailable(err)) throw err;
    ctx.events.record(st.pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${errorText(err)}`);
    ctx.backoff.next(key, ctx.now());
    ctx.wake(st.uid, ctx.now() + Math.max(1, ctx.backoff.remaining(key, ctx.now())));
    st.podReason = { reason: 'FailedCreatePodSandBox', message: errorText(err) };
    return undefined;
  }
  ctx.backoff.reset(key);
  st.podReason = undefined;
  st.sandboxConfigs.set(id, config);
  const status = await ctx.runtime.runtime.podSandboxStatus(id);
  return current(ctx, st, id, config, status);
}

function current(ctx: SyncContext, st: PodState, id: string, config: PodSandboxConfig, status: CurrentSandbox['status']): CurrentSandbox {
  if (hostNetwork(st.pod)) {
    const ip = ctx.node().nodeIP;
    return { id, config, status, podIP: ip, podIPs: ip === '' ? [] : [ip] };
  }
  const ip = status.network.ip;
  return { id, config, status, podIP: ip, podIPs: ip === '' ? [] : [ip, ...status.network.additionalIps] };
}

/** A new sandbox attempt: old containers are stopped, old ready sandboxes stopped (kept for lastState). */
async function stopLeftovers(ctx: SyncContext, st: PodState, rt: PodRuntime): Promise<void> {
  const grace = gracePeriodSeconds(st.pod);
  const rts = ctx.runtime.runtime;
  await Promise.all(rt.all.filter((s) => s.state === 'running' || s.state === 'created').map(async (s) => {
    ctx.prober.remove(st.uid, s.id);
    await rts.stopContainer(s.id, grace);
  }));
  for (const sb of rt.sandboxes) if (sb.state === 'ready') await rts.stopPodSandbox(sb.id);
}

function buildConfig(ctx: SyncContext, st: PodState, attempt: number): PodSandboxConfig {
  const config = ctx.parts.buildSandboxConfig({ pod: st.pod, dirs: ctx.dirs, attempt, nodeName: ctx.nodeName, managedBy: ctx.nodeName });
  const { name, namespace, uid } = st.pod.metadata;
  const metadata: PodSandboxMetadata = { ...config.metadata, attempt };
  return {
    ...config,
    metadata,
    labels: {
      ...config.labels,
      [RuntimeLabels.podName]: name,
      [RuntimeLabels.podNamespace]: namespace,
      [RuntimeLabels.podUid]: uid,
      [RuntimeLabels.managedBy]: ctx.nodeName,
    },
  };
}
