// The meta_v2 row of an object, as KubeEdge's metaserver writes it (pkg/metaserver/key.go KeyFuncObj,
// imitator.InsertOrUpdateObj): key `/<group|core>/<version>/<resource>/<namespace|null>/<name>`,
// group_version_resource in Go's GroupVersionResource.String() form (`apps/v1, Resource=deployments`,
// `/v1, Resource=pods` for the core group), namespace "" for cluster-scoped objects.
import { wireTypeKind } from '../../core/index.js';

export interface MetaV2Identity {
  key: string;
  groupVersionResource: string;
  /** "" for cluster-scoped objects (KubeEdge's ParseKey turns "null" into ""). */
  namespace: string;
  name: string;
  apiVersion: string;
  kind: string;
}


/** Kinds whose plural is irregular (KubeEdge's UnsafeKindToResource table). */
const UNUSUAL_RESOURCES: Readonly<Record<string, string>> = {
  Endpoints: 'endpoints',
  PodStatus: 'podstatus',
  NodeStatus: 'nodestatus',
  CustomResourceDefinition: 'customresourcedefinitions',
  Leases: 'leases',
};

/**
 * Types with no meta_v2 row: status and patch documents are not objects (KubeEdge's imitator skips
 * "status" types; patches fail its decode), lists and membership are not single objects, and
 * service account tokens are kept out of the table metaserver serves.
 */
export function hasMetaV2Row(type: string): boolean {
  return !(type.includes('status') || type.includes('patch') || type === 'podlist' || type === 'membership' || type === 'serviceaccounttoken');
}

/** Lowercase plural resource of a kind, by KubeEdge's rules (s → ses, y → ies, else + s). */
export function kindToResource(kind: string): string {
  const unusual = UNUSUAL_RESOURCES[kind];
  if (unusual !== undefined) return unusual;
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/**
 * The meta_v2 identity of `object` stored under wire type `type` and the resource's namespace/name,
 * or undefined when the type has no meta_v2 row or no apiVersion/kind is known.
 */
export function metaV2Identity(
  type: string,
  resource: { namespace: string | null; name: string },
  object: Record<string, unknown> | undefined,
): MetaV2Identity | undefined {
  if (!hasMetaV2Row(type)) return undefined;
  const fallback = wireTypeKind(type);
  const apiVersion = stringField(object, 'apiVersion') ?? fallback?.apiVersion;
  const kind = stringField(object, 'kind') ?? fallback?.kind;
  if (apiVersion === undefined || kind === undefined || kind.endsWith('List')) return undefined;
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const meta = object?.['metadata'];
  const metaFields = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : undefined;
  const namespace = stringField(metaFields, 'namespace') ?? resource.namespace ?? '';
  const name = stringField(metaFields, 'name') ?? resource.name;
  const plural = kindToResource(kind);
  return {
    key: `/${group === '' ? 'core' : group}/${version}/${plural}/${namespace === '' ? 'null' : namespace}/${name}`,
    groupVersionResource: `${group}/${version}, Resource=${plural}`,
    namespace,
    name,
    apiVersion,
    kind,
  };
}

function stringField(obj: Record<string, unknown> | undefined, field: string): string | undefined {
  const v = obj?.[field];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
