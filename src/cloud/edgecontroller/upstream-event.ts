// Events from the edge (kubelet event recorder): insert creates, update refreshes count and times,
// patch carries edgeapi.EventPatchInfo `{event, patchData}`. KubeEdge sends no response for events.
// A name that already exists (the recorder reuses names for aggregated events) becomes a count patch.
import type { KubeObject } from '../../api/index.js';
import { UpstreamRejected } from '../cloudhub/index.js';
import { KubeError, Resources } from '../kube/index.js';
import { jsonContent, objectContent, type UpstreamContext } from './upstream-context.js';

const REFRESH_FIELDS = ['count', 'lastTimestamp', 'message', 'reason', 'series', 'type', 'eventTime'];

function cleanEvent(evt: KubeObject, ns: string): KubeObject {
  const { uid: _u, resourceVersion: _rv, creationTimestamp: _c, managedFields: _m, ...meta } = evt.metadata;
  return { ...evt, apiVersion: 'v1', kind: 'Event', metadata: { ...meta, namespace: ns } };
}

function refreshPatch(evt: KubeObject): Record<string, unknown> {
  return Object.fromEntries(REFRESH_FIELDS.filter((f) => evt[f] !== undefined).map((f) => [f, evt[f]]));
}

async function createOrRefresh(ctx: UpstreamContext, evt: KubeObject): Promise<void> {
  const ns = evt.metadata.namespace ?? 'default';
  try {
    await ctx.kube.create(Resources.events, evt);
  } catch (err) {
    if (!(err instanceof KubeError && err.status === 409)) throw err;
    await ctx.kube.patch(Resources.events, ns, evt.metadata.name ?? '', refreshPatch(evt), 'merge');
  }
}

async function refresh(ctx: UpstreamContext, evt: KubeObject, patch: unknown, type: 'merge' | 'strategic'): Promise<void> {
  const ns = evt.metadata.namespace ?? 'default';
  try {
    await ctx.kube.patch(Resources.events, ns, evt.metadata.name ?? '', patch, type);
  } catch (err) {
    // The event expired (events have a TTL) or never arrived: record it afresh.
    if (!(err instanceof KubeError && err.status === 404)) throw err;
    await ctx.kube.create(Resources.events, evt);
  }
}

export async function processEvent(ctx: UpstreamContext): Promise<void> {
  const op = ctx.req.operation;
  const raw = op === 'patch' ? (jsonContent(ctx.msg.content) as { event?: unknown } | null)?.event : ctx.msg.content;
  const evt = objectContent(raw, 'event');
  const ns = evt.metadata.namespace ?? ctx.req.namespace ?? 'default';
  const clean = cleanEvent(evt, ns);
  if (!clean.metadata.name) throw new UpstreamRejected('invalid', 'event needs metadata.name');
  try {
    if (op === 'insert') await createOrRefresh(ctx, clean);
    else if (op === 'update') await refresh(ctx, clean, refreshPatch(clean), 'merge');
    else {
      const data = (jsonContent(ctx.msg.content) as { patchData?: unknown }).patchData;
      const patch = jsonContent(data ?? '{}');
      await refresh(ctx, clean, patch, 'strategic');
    }
  } catch (err) {
    if (err instanceof KubeError && err.status < 500 && err.status !== 429) {
      ctx.log.warn('event rejected', { node: ctx.node, namespace: ns, event: clean.metadata.name, error: err.message });
      return;
    }
    throw err;
  }
}
