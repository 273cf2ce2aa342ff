// Node leases (coordination.k8s.io/v1 Lease kube-node-lease/<node>), the kubelet's heartbeat.
// KubeEdge creates on insert and updates on update and answers ObjectResp either way; we also
// recover from the edge's view being out of date (insert of an existing lease → update; update of a
// missing lease → create) since an edge that was away long may be either.
import type { KubeObject } from '../../api/index.js';
import { KubeError, Resources } from '../kube/index.js';
import { objectContent, requireName, type UpstreamContext } from './upstream-context.js';
import { isTransient, notFound, objectResp } from './upstream-responses.js';
import { NODE_LEASE_NAMESPACE } from './types.js';

function leaseFrom(ctx: UpstreamContext, name: string): KubeObject {
  const lease = objectContent(ctx.msg.content, 'lease');
  const { uid: _uid, creationTimestamp: _c, managedFields: _m, ...meta } = lease.metadata;
  return {
    ...lease,
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { ...meta, name, namespace: NODE_LEASE_NAMESPACE },
  };
}

async function createOrUpdate(ctx: UpstreamContext, lease: KubeObject, op: string): Promise<KubeObject> {
  const { resourceVersion: _rv, ...fresh } = lease.metadata;
  if (op === 'insert') {
    try {
      return await ctx.kube.create(Resources.leases, { ...lease, metadata: fresh });
    } catch (err) {
      if (!(err instanceof KubeError && err.status === 409)) throw err;
    }
    const cur = await ctx.kube.get(Resources.leases, NODE_LEASE_NAMESPACE, lease.metadata.name ?? '');
    return ctx.kube.update(Resources.leases, { ...lease, metadata: { ...fresh, resourceVersion: cur?.metadata.resourceVersion } });
  }
  try {
    return await ctx.kube.update(Resources.leases, lease);
  } catch (err) {
    if (err instanceof KubeError && err.status === 404) return ctx.kube.create(Resources.leases, { ...lease, metadata: fresh });
    throw err;
  }
}

export async function upsertLease(ctx: UpstreamContext): Promise<void> {
  const name = requireName(ctx);
  const lease = leaseFrom(ctx, name);
  try {
    const saved = await createOrUpdate(ctx, lease, ctx.req.operation);
    ctx.reply.respond(ctx.node, ctx.msg, objectResp(saved));
  } catch (err) {
    // A 409 on update is the kubelet's to resolve: it queries the lease and retries.
    ctx.reply.respond(ctx.node, ctx.msg, objectResp(undefined, err));
    if (isTransient(err)) throw err;
  }
}

export async function queryLease(ctx: UpstreamContext): Promise<void> {
  const name = requireName(ctx);
  const lease = await ctx.kube.get(Resources.leases, NODE_LEASE_NAMESPACE, name);
  ctx.reply.respond(ctx.node, ctx.msg, lease ? objectResp(lease) : objectResp(undefined, notFound('leases.coordination.k8s.io', name)));
}
