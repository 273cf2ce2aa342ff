// Starting one container instance (kubelet startContainer): image, env, mounts, config, create,
// start, then the postStart hook. Failures become the container's waiting reason and an event;
// only an unavailable runtime escapes (the worker backs off and retries the whole sync).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ContainerConfig, ContainerStatus } from '../../runtime/types.js';
import { RuntimeAnnotations, RuntimeLabels } from '../../runtime/types.js';
import type { PodContainer } from '../pod-contracts.js';
import { runHook } from './hooks.js';
import { ensureImage } from './image-puller.js';
import { hookOf, restartCountOf } from './pod-fields.js';
import { errorText, isUnavailable } from './runtime-state.js';
import type { CurrentSandbox, PodState, SyncContext } from './sync-context.js';

export interface StartRequest {
  container: PodContainer;
  kind: 'init' | 'regular';
  /** The newest instance of this container (any sandbox): restartCount and attempt follow it. */
  newest: ContainerStatus | undefined;
  /** Highest attempt among the container's instances. */
  maxAttempt: number;
}

/** True when the instance was started. */
export async function startContainer(ctx: SyncContext, st: PodState, sb: CurrentSandbox, req: StartRequest): Promise<boolean> {
  const { container: c, kind } = req;
  const pod = st.pod;
  const who = { name: c.name, kind };
  const image = await ensureImage(ctx, st, c, kind, sb.config);
  if (!image.ok) {
    st.waiting.set(c.name, image.waiting);
    return false;
  }
  const restartCount = req.newest === undefined ? 0 : restartCountOf(req.newest) + 1;
  const attempt = Math.max(restartCount, req.maxAttempt + 1);
  let config: ContainerConfig;
  try {
    const env = await ctx.parts.resolveEnv({ pod, container: c, source: ctx.source, node: ctx.node(), podIP: sb.podIP, podIPs: sb.podIPs });
    const mounts = ctx.parts.containerMounts(pod, c, st.volumes ?? new Map(), ctx.dirs);
    config = ctx.parts.buildContainerConfig({ pod, container: c, image: image.ref, env, mounts, attempt, restartCount, kind, managedBy: ctx.nodeName });
  } catch (err) {
    if (isUnavailable(err)) throw err;
    const message = errorText(err);
    ctx.events.record(pod, 'Warning', 'Failed', `Error: ${message}`, who);
    st.waiting.set(c.name, { reason: 'CreateContainerConfigError', message });
    retryLater(ctx, st, `${st.uid}/${c.name}/config`);
    return false;
  }
  label(ctx, st, config, c, kind, restartCount);
  let id: string;
  try {
    await mkdir(path.dirname(path.join(sb.config.logDirectory, config.logPath)), { recursive: true });
    id = await ctx.runtime.runtime.createContainer(sb.id, config, sb.config);
  } catch (err) {
    if (isUnavailable(err)) throw err;
    const message = errorText(err);
    ctx.events.record(pod, 'Warning', 'Failed', `Error: ${message}`, who);
    st.waiting.set(c.name, { reason: 'CreateContainerError', message });
    retryLater(ctx, st, `${st.uid}/${c.name}/create`);
    return false;
  }
  ctx.events.record(pod, 'Normal', 'Created', `Created container ${c.name}`, who);
  try {
    await ctx.runtime.runtime.startContainer(id);
  } catch (err) {
    if (isUnavailable(err)) throw err;
    const message = errorText(err);
    ctx.events.record(pod, 'Warning', 'Failed', `Error: failed to start container "${c.name}": ${message}`, who);
    st.waiting.set(c.name, { reason: 'RunContainerError', message });
    retryLater(ctx, st, `${st.uid}/${c.name}/start`);
    return false;
  }
  ctx.events.record(pod, 'Normal', 'Started', `Started container ${c.name}`, who);
  st.waiting.delete(c.name);
  ctx.backoff.reset(`${st.uid}/${c.name}/config`);
  await postStart(ctx, st, sb, c, kind, id);
  return true;
}

/** kubelet: a failed postStart hook kills the container (FailedPostStartHook); restart policy applies. */
async function postStart(ctx: SyncContext, st: PodState, sb: CurrentSandbox, c: PodContainer, kind: 'init' | 'regular', id: string): Promise<void> {
  const hook = hookOf(c, 'postStart');
  if (hook === undefined) return;
  const result = await runHook(ctx, { pod: st.pod, container: c, containerId: id, podIP: sb.podIP }, hook, 30);
  if (result.ok) return;
  ctx.events.record(st.pod, 'Warning', 'FailedPostStartHook', `PostStartHook failed: ${result.message}`, { name: c.name, kind });
  await ctx.runtime.runtime.stopContainer(id, 0).catch((err: unknown) => {
    if (isUnavailable(err)) throw err;
  });
}

/** Labels and annotations edged relies on, whatever buildContainerConfig set (idempotent). */
function label(ctx: SyncContext, st: PodState, config: ContainerConfig, c: PodContainer, kind: 'init' | 'regular', restartCount: number): void {
  const { name, namespace, uid } = st.pod.metadata;
  config.labels = {
    ...config.labels,
    [RuntimeLabels.podName]: name,
    [RuntimeLabels.podNamespace]: namespace,
    [RuntimeLabels.podUid]: uid,
    [RuntimeLabels.containerName]: c.name,
    [RuntimeLabels.managedBy]: ctx.nodeName,
  };
  config.annotations = {
    ...config.annotations,
    [RuntimeAnnotations.restartCount]: String(restartCount),
    [RuntimeAnnotations.containerHash]: ctx.parts.containerSpecHash(c),
    ...(kind === 'init' ? { [RuntimeAnnotations.containerType]: 'init' } : {}),
  };
}

function retryLater(ctx: SyncContext, st: PodState, key: string): void {
  const now = ctx.now();
  ctx.backoff.next(key, now);
  ctx.wake(st.uid, now + Math.max(ctx.backoff.remaining(key, now), 1));
}
