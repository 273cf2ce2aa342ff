// Upstream messages about pods: podstatus (edgeapi.PodStatusRequest `{UID, Name, Status}`, or a
// list of them on `<ns>/podstatus`), podpatch (strategic-merge patch of the status subresource) and
// pod delete (the edge finished stopping a terminating pod). Every write re-checks that the pod it
// read is bound to the sending node: the authorizer lets through pods the caches do not know yet.
import type { KubeObject } from '../../api/index.js';
import { UpstreamRejected } from '../cloudhub/index.js';
import { KubeError, Resources } from '../kube/index.js';
import { podNodeName } from './pod-references.js';
import { mergePodStatus, readyToFinishDeletion, type PodStatusLike } from './pod-status.js';
import { isoNow, jsonContent, requireName, requireNamespace, type UpstreamContext } from './upstream-context.js';
import { isTransient, notFound, objectResp, toErrStatus } from './upstream-responses.js';

interface PodStatusRequest {
  UID?: string;
  Name?: string;
  Status?: PodStatusLike;
}

/** KubeClient.delete options (with gracePeriodSeconds, which the edge's final delete needs). */
type PodDeleteOptions = Parameters<UpstreamContext['kube']['delete']>[3] & { gracePeriodSeconds?: number };

async function readPod(ctx: UpstreamContext, ns: string, name: string): Promise<KubeObject | undefined> {
  return ctx.cache('pods')?.get(ns, name) ?? (await ctx.kube.get(Resources.pods, ns, name));
}

function checkBound(ctx: UpstreamContext, pod: KubeObject): void {
  if (podNodeName(pod) !== ctx.node) {
    throw new UpstreamRejected('forbidden', `pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''} is not bound to node "${ctx.node}"`);
  }
}

function statusRequests(ctx: UpstreamContext): PodStatusRequest[] {
  const content = jsonContent(ctx.msg.content);
  const items = ctx.req.name === undefined ? content : [content];
  if (!Array.isArray(items) || items.some((i) => typeof i !== 'object' || i === null)) {
    throw new UpstreamRejected('invalid', 'podstatus content must be a PodStatusRequest or a list of them');
  }
  return (items as PodStatusRequest[]).map((i) => ({ ...i, Name: i.Name ?? ctx.req.name }));
}

export async function podStatus(ctx: UpstreamContext): Promise<void> {
  const ns = requireNamespace(ctx);
  const items = statusRequests(ctx);
  try {
    for (const item of items) await applyPodStatus(ctx, ns, item);
    ctx.reply.ok(ctx.node, ctx.msg);
  } catch (err) {
    if (err instanceof UpstreamRejected) throw err;
    ctx.reply.respond(ctx.node, ctx.msg, toErrStatus(err));
    if (isTransient(err)) throw err;
    ctx.log.warn('pod status failed', { node: ctx.node, namespace: ns, error: (err as Error).message });
  }
}

async function applyPodStatus(ctx: UpstreamContext, ns: string, item: PodStatusRequest): Promise<void> {
  const name = item.Name;
  if (!name || typeof item.Status !== 'object' || item.Status === null) {
    throw new UpstreamRejected('invalid', 'PodStatusRequest needs Name and Status');
  }
  const pod = await readPod(ctx, ns, name);
  if (!pod || (item.UID && pod.metadata.uid !== item.UID)) {
    // KubeEdge: the pod is gone (or replaced) in the API, so tell the edge to delete its copy.
    ctx.log.info('pod vanished', { node: ctx.node, namespace: ns, pod: name });
    ctx.downstream.deleteVanishedPod(ctx.node, ns, name, item.UID);
    return;
  }
  checkBound(ctx, pod);
  const status = mergePodStatus(pod['status'] as PodStatusLike | undefined, item.Status, isoNow(ctx));
  let updated: KubeObject;
  try {
    updated = await ctx.kube.patch(Resources.pods, ns, name, { status }, 'merge', 'status');
  } catch (err) {
    if (err instanceof KubeError && err.status === 404) return ctx.downstream.deleteVanishedPod(ctx.node, ns, name, item.UID);
    throw err;
  }
  if (readyToFinishDeletion(updated.metadata.deletionTimestamp, status)) {
    await deletePodNow(ctx, ns, name, updated.metadata.uid);
  }
}

async function deletePodNow(ctx: UpstreamContext, ns: string, name: string, uid: string | undefined, grace = 0): Promise<void> {
  const opts: PodDeleteOptions = { gracePeriodSeconds: grace, ...(uid ? { uid } : {}) };
  try {
    await ctx.kube.delete(Resources.pods, ns, name, opts);
    ctx.log.info('pod deleted', { node: ctx.node, namespace: ns, pod: name });
  } catch (err) {
    // A failed uid precondition means the pod was deleted and recreated: nothing left to do (KubeEdge).
    if (err instanceof KubeError && err.status === 409) return;
    throw err;
  }
}

export async function podPatch(ctx: UpstreamContext): Promise<void> {
  const ns = requireNamespace(ctx);
  const name = requireName(ctx);
  const patch = jsonContent(ctx.msg.content);
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new UpstreamRejected('invalid', 'podpatch content must be a JSON object patch');
  }
  const pod = await readPod(ctx, ns, name);
  if (!pod) {
    ctx.reply.respond(ctx.node, ctx.msg, objectResp(undefined, notFound('pods', name)));
    return;
  }
  checkBound(ctx, pod);
  try {
    const updated = await ctx.kube.patch(Resources.pods, ns, name, patch, 'strategic', 'status');
    ctx.reply.respond(ctx.node, ctx.msg, objectResp(updated), { resourceVersion: updated.metadata.resourceVersion ?? '' });
  } catch (err) {
    ctx.reply.respond(ctx.node, ctx.msg, objectResp(undefined, err));
    if (isTransient(err)) throw err;
  }
}

/**
 * pod delete from the edge: content is the pod UID (older edges; grace period 0) or DeleteOptions
 * JSON. The UID precondition keeps a recreated pod of the same name safe.
 */
export async function podDelete(ctx: UpstreamContext): Promise<void> {
  const ns = requireNamespace(ctx);
  const name = requireName(ctx);
  const content = ctx.msg.content;
  const opts = typeof content === 'string' && !content.trim().startsWith('{')
    ? { uid: content, grace: 0 }
    : deleteOptions(jsonContent(content));
  const pod = await readPod(ctx, ns, name);
  if (pod) checkBound(ctx, pod);
  try {
    if (pod) await deletePodNow(ctx, ns, name, opts.uid ?? pod.metadata.uid, opts.grace);
    ctx.reply.ok(ctx.node, ctx.msg);
  } catch (err) {
    ctx.reply.respond(ctx.node, ctx.msg, toErrStatus(err));
    if (isTransient(err)) throw err;
  }
}

function deleteOptions(v: unknown): { uid?: string; grace?: number } {
  const o = (typeof v === 'object' && v !== null ? v : {}) as { preconditions?: { uid?: unknown }; gracePeriodSeconds?: unknown };
  const uid = typeof o.preconditions?.uid === 'string' ? o.preconditions.uid : undefined;
  const grace = typeof o.gracePeriodSeconds === 'number' ? o.gracePeriodSeconds : undefined;
  return { ...(uid ? { uid } : {}), ...(grace !== undefined ? { grace } : {}) };
}
