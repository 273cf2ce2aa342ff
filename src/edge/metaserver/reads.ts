// GET answers from the edge store: one object or all of a type, with apiVersion and kind filled in
// and, for pods, the node's own newer status laid over the cloud's copy.
import { isKubeObject, type KubeObject } from '../../api/index.js';
import { NULL_NAMESPACE } from '../../core/index.js';
import { ApiError } from './api-error.js';
import { apiVersionOf, qualifiedPlural, type ResourceInfo } from './resources.js';
import type { LocalPodStatusSource, MetaStoreReader } from './types.js';

export interface ReadContext {
  store: MetaStoreReader;
  localPodStatus?: LocalPodStatusSource | undefined;
}

export async function readObject(ctx: ReadContext, resource: ResourceInfo, namespace: string | null, name: string): Promise<KubeObject> {
  const ns = resource.namespaced ? (namespace ?? '') : NULL_NAMESPACE;
  const obj = toObject(await ctx.store.get(resource.type, ns, name), resource);
  if (!obj) throw new ApiError('NotFound', `${qualifiedPlural(resource)} "${name}" not found`, { name, ...(resource.group ? { group: resource.group } : {}), kind: resource.plural });
  return withLocalStatus(obj, resource, ctx.localPodStatus);
}

/** Every stored object of the type (in one namespace, or all when null), sorted by namespace/name. */
export async function readAll(ctx: ReadContext, resource: ResourceInfo, namespace: string | null): Promise<KubeObject[]> {
  const raw = namespace === null || !resource.namespaced ? await ctx.store.list(resource.type) : await ctx.store.list(resource.type, namespace);
  return (Array.isArray(raw) ? raw : [])
    .map((v) => toObject(v, resource))
    .filter((o): o is KubeObject => o !== undefined)
    .map((o) => withLocalStatus(o, resource, ctx.localPodStatus))
    .sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
}

/** A stored value (object or JSON text) as an object with apiVersion and kind filled in. */
export function toObject(value: unknown, resource: ResourceInfo): KubeObject | undefined {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (!isKubeObject(v)) return undefined;
  return { ...v, apiVersion: v.apiVersion ?? apiVersionOf(resource), kind: v.kind ?? resource.kind };
}

/**
 * The pod with edged's status laid over the cloud's, key by key (conditions, containerStatuses,
 * phase... from the node replace the cloud's; fields the node does not report, such as
 * nominatedNodeName, stay). Other kinds and pods edged does not know pass unchanged.
 */
export function withLocalStatus(obj: KubeObject, resource: ResourceInfo, source: LocalPodStatusSource | undefined): KubeObject {
  if (!source || resource.type !== 'pod') return obj;
  const local = source.get(obj.metadata.namespace ?? '', obj.metadata.name ?? '');
  if (!local) return obj;
  const cloud = typeof obj.status === 'object' && obj.status !== null ? (obj.status as Record<string, unknown>) : {};
  return { ...obj, status: { ...cloud, ...local } };
}

/** The resourceVersion as a number; undefined when absent or not a decimal integer. */
export function numericVersion(rv: unknown): bigint | undefined {
  return typeof rv === 'string' && /^\d{1,20}$/.test(rv) ? BigInt(rv) : undefined;
}

/** The highest numeric resourceVersion among the objects (0 for none). */
export function newestVersion(items: readonly KubeObject[]): bigint {
  let best = 0n;
  for (const o of items) {
    const rv = numericVersion(o.metadata.resourceVersion);
    if (rv !== undefined && rv > best) best = rv;
  }
  return best;
}

function sortKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}
