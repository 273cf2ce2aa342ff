// Queries from the edge's metamanager (remote query when its local copy is missing): configmap,
// secret and persistentvolumeclaim answer with the object (header.resourceversion set), from the
// informer cache when it has it (KubeEdge reads listers), else from the API. serviceaccounttoken
// creates a TokenRequest (KubeEdge's CreateToken). Failures answer with operation "error".
import type { KubeObject } from '../../api/index.js';
import type { ResourceRef } from '../kube/index.js';
import { Resources } from '../kube/index.js';
import { objectContent, requireName, requireNamespace, type UpstreamContext } from './upstream-context.js';
import { isTransient, notFound } from './upstream-responses.js';
import type { InformedResource } from './types.js';

const PVC: ResourceRef = { group: '', version: 'v1', plural: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', namespaced: true };

const QUERIED: Readonly<Record<string, { ref: ResourceRef; cache?: InformedResource }>> = {
  configmap: { ref: Resources.configmaps, cache: 'configmaps' },
  secret: { ref: Resources.secrets, cache: 'secrets' },
  persistentvolumeclaim: { ref: PVC },
};

export async function queryObject(ctx: UpstreamContext): Promise<void> {
  const ns = requireNamespace(ctx);
  const name = requireName(ctx);
  const spec = QUERIED[ctx.req.type]!;
  try {
    const obj = (spec.cache ? ctx.cache(spec.cache)?.get(ns, name) : undefined) ?? (await ctx.kube.get(spec.ref, ns, name));
    if (!obj) {
      ctx.reply.error(ctx.node, ctx.msg, notFound(ctx.req.type, name).message);
      return;
    }
    const typed: KubeObject = { apiVersion: 'v1', kind: spec.ref.kind, ...obj };
    ctx.reply.respond(ctx.node, ctx.msg, typed, { resourceVersion: obj.metadata.resourceVersion ?? '' });
  } catch (err) {
    ctx.reply.error(ctx.node, ctx.msg, (err as Error).message);
    if (isTransient(err)) throw err;
  }
}

/**
 * The TokenRequest subresource (POST serviceaccounts/<name>/token), reached through KubeClient.create
 * with a ref whose plural carries the subresource path. The answer is the TokenRequest with
 * status.token, sent without ack (DESIGN §3). An API that does not serve the subresource (the
 * embedded control plane, for now) yields an "error" answer with the API's message.
 */
export async function serviceAccountToken(ctx: UpstreamContext): Promise<void> {
  const ns = requireNamespace(ctx);
  const name = requireName(ctx);
  const tr = objectContent(ctx.msg.content ?? {}, 'serviceaccounttoken');
  // The subresource lives under the core group path (/api/v1/namespaces/<ns>/serviceaccounts/<name>/token).
  const ref: ResourceRef = { group: '', version: 'v1', plural: `serviceaccounts/${name}/token`, kind: 'TokenRequest', namespaced: true };
  const body: KubeObject = {
    apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest',
    metadata: { name, namespace: ns },
    spec: tr['spec'] ?? {},
  };
  try {
    const created = await ctx.kube.create(ref, body);
    ctx.reply.respond(ctx.node, ctx.msg, { ...created, apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest' });
  } catch (err) {
    ctx.log.warn('token request failed', { node: ctx.node, namespace: ns, serviceaccount: name, error: (err as Error).message });
    ctx.reply.error(ctx.node, ctx.msg, `serviceaccounttoken ${ns}/${name}: ${(err as Error).message}`);
    if (isTransient(err)) throw err;
  }
}
