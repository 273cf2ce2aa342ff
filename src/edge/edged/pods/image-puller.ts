// Images for containers, as kubelet's imageManager.EnsureImageExists: ImageStatus before PullImage,
// pull policies Always / IfNotPresent / Never, imagePullSecrets, and back-off after a failed pull
// (ErrImagePull, then ImagePullBackOff). One pull per image at a time: concurrent pods that need the
// same image share it (a burst of 100 pods pulls once).
import type { AuthConfig, ImageService, PodSandboxConfig } from '../../runtime/types.js';
import type { Json, PodContainer } from '../pod-contracts.js';
import { pullPolicy } from './pod-fields.js';
import { errorText, isUnavailable } from './runtime-state.js';
import type { PodState, SyncContext, Waiting } from './sync-context.js';

export class ImagePuller {
  readonly #inflight = new Map<string, Promise<string>>();

  constructor(readonly images: ImageService) {}

  /** Pulls the image (trying each credential in order); joins a pull of the same image in flight. */
  pull(image: string, auths: AuthConfig[], sandbox: PodSandboxConfig): Promise<string> {
    const running = this.#inflight.get(image);
    if (running !== undefined) return running;
    const p = this.#pull(image, auths, sandbox).finally(() => this.#inflight.delete(image));
    this.#inflight.set(image, p);
    return p;
  }

  async #pull(image: string, auths: AuthConfig[], sandbox: PodSandboxConfig): Promise<string> {
    if (auths.length === 0) return this.images.pullImage(image, undefined, sandbox);
    let last: unknown;
    for (const auth of auths) {
      try {
        return await this.images.pullImage(image, auth, sandbox);
      } catch (err) {
        if (isUnavailable(err)) throw err;
        last = err;
      }
    }
    throw last;
  }
}

export type ImageOutcome = { ok: true; ref: string } | { ok: false; waiting: Waiting };

/** The image ref to create the container with, or why the container waits. Throws only when the runtime is unavailable. */
export async function ensureImage(ctx: SyncContext, st: PodState, c: PodContainer, kind: 'init' | 'regular', sandbox: PodSandboxConfig): Promise<ImageOutcome> {
  const pod = st.pod;
  const image = c.image ?? '';
  const who = { name: c.name, kind };
  const invalid = image === '' ? 'empty image name' : ctx.parts.validateImageName(image);
  if (invalid !== undefined) {
    const message = `Failed to apply default image tag "${image}": couldn't parse image reference "${image}": ${invalid}`;
    ctx.events.record(pod, 'Warning', 'InspectFailed', message, who);
    return { ok: false, waiting: { reason: 'InvalidImageName', message } };
  }
  const policy = pullPolicy(c);
  const present = await ctx.images.images.imageStatus(image);
  if (policy === 'Never' && present === undefined) {
    const message = `Container image "${image}" is not present with pull policy of Never`;
    ctx.events.record(pod, 'Warning', 'ErrImageNeverPull', message, who);
    return { ok: false, waiting: { reason: 'ErrImageNeverPull', message } };
  }
  if (present !== undefined && policy !== 'Always') {
    ctx.events.record(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, who);
    return { ok: true, ref: present.id || image };
  }
  const key = `${st.uid}/${image}/pull`;
  const now = ctx.now();
  const wait = ctx.backoff.remaining(key, now);
  if (wait > 0 && present !== undefined) {
    // Policy Always, the last pull failed and the node has the image: use it until the back-off ends.
    return { ok: true, ref: present.id || image };
  }
  if (wait > 0) {
    ctx.events.record(pod, 'Normal', 'BackOff', `Back-off pulling image "${image}"`, who);
    ctx.wake(st.uid, now + wait);
    return { ok: false, waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } };
  }
  ctx.events.record(pod, 'Normal', 'Pulling', `Pulling image "${image}"`, who);
  const secrets = await pullSecrets(ctx, st);
  const started = ctx.now();
  try {
    const ref = await ctx.images.pull(image, ctx.parts.imagePullAuth(pod, secrets), sandbox);
    const secs = ((ctx.now() - started) / 1000).toFixed(3);
    ctx.events.record(pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${secs}s (${secs}s including waiting)`, who);
    ctx.backoff.reset(key);
    return { ok: true, ref: ref || image };
  } catch (err) {
    if (isUnavailable(err)) throw err;
    const failedAt = ctx.now();
    ctx.backoff.next(key, failedAt);
    ctx.wake(st.uid, failedAt + Math.max(ctx.backoff.remaining(key, failedAt), 1));
    const message = `Failed to pull image "${image}": ${errorText(err)}`;
    ctx.events.record(pod, 'Warning', 'Failed', message, who);
    if (present !== undefined) {
      // Policy Always with the registry unreachable (an offline edge): run the image the node has
      // rather than leave the pod down. kubelet would report ErrImagePull here.
      ctx.events.record(pod, 'Warning', 'Failed', `Using the image present on the node: ${image}`, who);
      return { ok: true, ref: present.id || image };
    }
    ctx.events.record(pod, 'Warning', 'Failed', 'Error: ErrImagePull', who);
    return { ok: false, waiting: { reason: 'ErrImagePull', message } };
  }
}

/** The pod's imagePullSecrets that exist (kubelet warns about missing ones and pulls anyway). */
async function pullSecrets(ctx: SyncContext, st: PodState): Promise<Json[]> {
  const refs = st.pod.spec['imagePullSecrets'];
  if (!Array.isArray(refs) || refs.length === 0) return [];
  const out: Json[] = [];
  const missing: string[] = [];
  for (const ref of refs) {
    const name = typeof ref === 'object' && ref !== null ? (ref as Json)['name'] : undefined;
    if (typeof name !== 'string' || name === '') continue;
    try {
      const secret = await ctx.source.secret(st.pod.metadata.namespace, name);
      if (secret === undefined) missing.push(name);
      else out.push(secret);
    } catch {
      missing.push(name);
    }
  }
  if (missing.length > 0) {
    ctx.events.record(st.pod, 'Warning', 'FailedToRetrieveImagePullSecret',
      `Unable to retrieve some image pull secrets (${missing.join(', ')}); attempting to pull the image may not succeed.`);
  }
  return out;
}
