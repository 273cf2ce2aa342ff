// Upstream messages about the node itself: registration (node insert), node update (labels and
// annotations), nodestatus (edgeapi.NodeStatusRequest), nodepatch (a strategic-merge patch of the
// status subresource) and node query. Authorization has already checked that the name is the node's.
import type { KubeObject } from '../../api/index.js';
import { UpstreamRejected } from '../cloudhub/index.js';
import { KubeError, Resources } from '../kube/index.js';
import { formatResource } from '../../core/index.js';
import { jsonContent, objectContent, requireName, type UpstreamContext } from './upstream-context.js';
import { isTransient, notFound, objectResp } from './upstream-responses.js';
import { EDGE_NODE_LABEL } from './types.js';

const labelsOf = (o: KubeObject): Record<string, string> => o.metadata.labels ?? {};

/** The response resource KubeEdge uses for node answers: `<ns>/node/<name>`. */
function nodeResource(ctx: UpstreamContext, name: string): string {
  return formatResource({ namespace: ctx.req.namespace, type: 'node', name });
}

/**
 * Registration. A new Node gets the edge's labels plus node-role.kubernetes.io/edge, its spec, and
 * its status (capacity, addresses, nodeInfo) written through the status subresource. For a Node
 * that exists (an edge re-registering after a restart) KubeEdge answers AlreadyExists and the
 * kubelet reconciles; we instead merge the labels and status and answer with the Node, which both
 * kinds of edge accept as a successful registration.
 */
export async function registerNode(ctx: UpstreamContext): Promise<void> {
  const name = requireName(ctx);
  const want = objectContent(ctx.msg.content, 'node');
  const labels = { ...labelsOf(want), [EDGE_NODE_LABEL]: '' };
  const status = want['status'];
  try {
    const existing = await ctx.kube.get(Resources.nodes, null, name);
    let node = existing
      ? await mergeNodeMeta(ctx, existing, labels, want.metadata.annotations)
      : await ctx.kube.create(Resources.nodes, {
        apiVersion: 'v1', kind: 'Node',
        metadata: { name, labels, ...(want.metadata.annotations ? { annotations: want.metadata.annotations } : {}) },
        spec: want['spec'] ?? {},
      });
    if (typeof status === 'object' && status !== null) {
      node = await ctx.kube.patch(Resources.nodes, null, name, { status }, 'merge', 'status');
    }
    ctx.log.info(existing ? 'node reregistered' : 'node registered', { node: name });
    ctx.reply.respond(ctx.node, ctx.msg, objectResp(node));
  } catch (err) {
    ctx.reply.respond(ctx.node, ctx.msg, objectResp(undefined, err));
    if (isTransient(err)) throw err;
    ctx.log.warn('node registration failed', { node: name, error: (err as Error).message });
  }
}

async function mergeNodeMeta(
  ctx: UpstreamContext, existing: KubeObject, labels: Record<string, string>, annotations: Record<string, string> | undefined,
): Promise<KubeObject> {
  const cur = labelsOf(existing);
  const curAnn = existing.metadata.annotations ?? {};
  const labelPatch = Object.fromEntries(Object.entries(labels).filter(([k, v]) => cur[k] !== v));
  const annPatch = Object.fromEntries(Object.entries(annotations ?? {}).filter(([k, v]) => curAnn[k] !== v));
  if (Object.keys(labelPatch).length === 0 && Object.keys(annPatch).length === 0) return existing;
  const metadata: Record<string, unknown> = {};
  if (Object.keys(labelPatch).length > 0) metadata['labels'] = labelPatch;
  if (Object.keys(annPatch).length > 0) metadata['annotations'] = annPatch;
  return ctx.kube.patch(Resources.nodes, null, existing.metadata.name ?? '', { metadata }, 'merge');
}

/** node update: KubeEdge merges the sent labels and annotations into the Node (never removes any). */
export async function updateNode(ctx: UpstreamContext): Promise<void> {
  const name = requireName(ctx);
  const want = objectContent(ctx.msg.content, 'node');
  const existing = await ctx.kube.get(Resources.nodes, null, name);
  if (!existing) {
    ctx.log.warn('node not found', { node: name });
    return;
  }
  const node = await mergeNodeMeta(ctx, existing, { ...labelsOf(want), [EDGE_NODE_LABEL]: labelsOf(existing)[EDGE_NODE_LABEL] ?? '' }, want.metadata.annotations);
  ctx.reply.ok(ctx.node, ctx.msg, { resource: nodeResource(ctx, name), resourceVersion: node.metadata.resourceVersion ?? '' });
}

interface NodeStatusRequest {
  UID?: string;
  Status?: Record<string, unknown>;
  ExtendResources?: unknown;
}

/**
 * nodestatus update: the whole NodeStatus, written as a merge patch of the status subresource.
 * As KubeEdge does, volumesAttached stays the cloud's (kube-controller-manager owns it) and a
 * daemonEndpoints port of 0 does not overwrite the cloud's. ExtendResources (GPU annotations) are
 * not applied.
 */
export async function nodeStatus(ctx: UpstreamContext): Promise<void> {
  const name = requireName(ctx);
  const body = jsonContent(ctx.msg.content) as NodeStatusRequest | null;
  if (!body || typeof body.Status !== 'object' || body.Status === null) {
    throw new UpstreamRejected('invalid', 'nodestatus content must be a NodeStatusRequest with Status');
  }
  const status: Record<string, unknown> = { ...body.Status };
  delete status['volumesAttached'];
  const port = (status['daemonEndpoints'] as { kubeletEndpoint?: { Port?: number } } | undefined)?.kubeletEndpoint?.Port;
  if (!port) delete status['daemonEndpoints'];
  try {
    const node = await ctx.kube.patch(Resources.nodes, null, name, { status }, 'merge', 'status');
    ctx.reply.ok(ctx.node, ctx.msg, { resource: nodeResource(ctx, name), resourceVersion: node.metadata.resourceVersion ?? '' });
  } catch (err) {
    if (err instanceof KubeError && err.status === 404) {
      ctx.log.warn('node not found', { node: name });
      return;
    }
    throw err;
  }
}

/** nodepatch: strategic-merge patch of the status subresource; the edge role label cannot be dropped. */
export async function nodePatch(ctx: UpstreamContext): Promise<void> {
  const name = requireName(ctx);
  const patch = jsonContent(ctx.msg.content);
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new UpstreamRejected('invalid', 'nodepatch content must be a JSON object patch');
  }
  const labels = (patch as { metadata?: { labels?: Record<string, unknown> } }).metadata?.labels;
  if (labels && labels[EDGE_NODE_LABEL] === null) delete labels[EDGE_NODE_LABEL];
  try {
    const node = await ctx.kube.patch(Resources.nodes, null, name, patch, 'strategic', 'status');
    ctx.reply.respond(ctx.node, ctx.msg, objectResp(node), { resourceVersion: node.metadata.resourceVersion ?? '' });
  } catch (err) {
    ctx.reply.respond(ctx.node, ctx.msg, objectResp(undefined, err));
    if (isTransient(err)) throw err;
  }
}

export async function queryNode(ctx: UpstreamContext): Promise<void> {
  const name = requireName(ctx);
  const node = ctx.cache('nodes')?.get(null, name) ?? (await ctx.kube.get(Resources.nodes, null, name));
  if (!node) {
    ctx.reply.error(ctx.node, ctx.msg, notFound('node', name).message);
    return;
  }
  ctx.reply.respond(ctx.node, ctx.msg, { apiVersion: 'v1', kind: 'Node', ...node }, { resourceVersion: node.metadata.resourceVersion ?? '' });
}
