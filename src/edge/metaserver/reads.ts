// GET answers from the edge store: one object, or a v1 List of them (kind "<Kind>List").
import { isKubeObject, type KubeList, type KubeObject } from '../../api/index.js';
import { NULL_NAMESPACE } from '../../core/index.js';
import { ApiError } from './api-error.js';
import type { ResourceInfo, Route } from './routes.js';
import type { MetaStoreReader } from './types.js';

export async function readObject(store: MetaStoreReader, route: Extract<Route, { kind: 'get' }>): Promise<KubeObject> {
  const { resource, name } = route;
  const ns = resource.namespaced ? (route.namespace as string) : NULL_NAMESPACE;
  const obj = toObject(await store.get(resource.type, ns, name), resource);
  if (!obj) throw new ApiError('NotFound', `${plural(resource)} "${name}" not found`, { name, kind: plural(resource) });
  return obj;
}

export async function readList(store: MetaStoreReader, route: Extract<Route, { kind: 'list' }>): Promise<KubeList> {
  const { resource } = route;
  const raw = route.namespace === null ? await store.list(resource.type) : await store.list(resource.type, route.namespace);
  const items = (Array.isArray(raw) ? raw : [])
    .map((v) => toObject(v, resource))
    .filter((o): o is KubeObject => o !== undefined)
    .sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  return { apiVersion: 'v1', kind: `${resource.kind}List`, metadata: { resourceVersion: newestVersion(items) }, items };
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
  return { ...v, apiVersion: v.apiVersion ?? 'v1', kind: v.kind ?? resource.kind };
}

/** The list's resourceVersion: the highest numeric one among the items ("0" for none). */
function newestVersion(items: KubeObject[]): string {
  let best = 0n;
  for (const o of items) {
    const rv = o.metadata.resourceVersion;
    if (rv && /^\d+$/.test(rv) && BigInt(rv) > best) best = BigInt(rv);
  }
  return best.toString();
}

function sortKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

function plural(r: ResourceInfo): string {
  return r.kind === 'Endpoints' ? 'endpoints' : `${r.kind.toLowerCase()}s`;
}
