// Small builders for OpenAPI v3 schema nodes in the shape kube-apiserver publishes: references wrapped in
// `allOf` with `default: {}`, list semantics in `x-kubernetes-list-*` and strategic-merge metadata in
// `x-kubernetes-patch-*`. kubectl's strategic merge (PatchMetaFromOpenAPIV3) reads exactly these keys.

export type Schema = Record<string, unknown>;

export const schemaRefPrefix = '#/components/schemas/';

/** Go package prefixes Kubernetes uses for its schema names. */
export const coreName = (type: string): string => `io.k8s.api.core.v1.${type}`;
export const metaName = (type: string): string => `io.k8s.apimachinery.pkg.apis.meta.v1.${type}`;
export const appsName = (type: string): string => `io.k8s.api.apps.v1.${type}`;
export const quantityName = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const intOrStringName = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** Freezes a constant schema tree: documents share these subtrees, so nothing may change them. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const described = (description?: string): Schema => (description ? { description } : {});

/** A property holding another named schema. */
export function ref(name: string, description?: string): Schema {
  return { allOf: [{ $ref: schemaRefPrefix + name }], default: {}, ...described(description) };
}

/** A bare `$ref`, as used for request and response bodies. */
export function bodyRef(name: string): Schema {
  return { $ref: schemaRefPrefix + name };
}

export function str(description?: string): Schema {
  return { type: 'string', ...described(description) };
}

export function time(description?: string): Schema {
  return { type: 'string', format: 'date-time', ...described(description) };
}

export function int(format: 'int32' | 'int64' = 'int32', description?: string): Schema {
  return { type: 'integer', format, ...described(description) };
}

export function bool(description?: string): Schema {
  return { type: 'boolean', ...described(description) };
}

export function intOrString(description?: string): Schema {
  return ref(intOrStringName, description);
}

/** An object. Without properties it is a leaf whose scalar fields kubectl may still diff. */
export function obj(properties?: Record<string, Schema>, extra: Schema = {}): Schema {
  return { type: 'object', ...extra, ...(properties ? { properties } : {}) };
}

/** map[string]string (labels, annotations, selectors, ConfigMap data). */
export function stringMap(description?: string, extra: Schema = {}): Schema {
  return { type: 'object', additionalProperties: { type: 'string', default: '' }, ...extra, ...described(description) };
}

/** map[string]Quantity (resource limits, capacity). */
export function quantityMap(description?: string): Schema {
  return { type: 'object', additionalProperties: ref(quantityName), ...described(description) };
}

/** A list replaced as a whole by strategic merge patch. */
export function atomicList(items: Schema, description?: string): Schema {
  return { type: 'array', items, 'x-kubernetes-list-type': 'atomic', ...described(description) };
}

export function stringList(description?: string): Schema {
  return atomicList({ type: 'string', default: '' }, description);
}

/** A list of objects keyed by `keys`; strategic merge patch merges items by the first key. */
export function keyedList(itemName: string, keys: string[], opts: { retainKeys?: boolean; description?: string } = {}): Schema {
  return {
    type: 'array',
    items: ref(itemName),
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': keys,
    'x-kubernetes-patch-merge-key': keys[0],
    'x-kubernetes-patch-strategy': opts.retainKeys ? 'merge,retainKeys' : 'merge',
    ...described(opts.description),
  };
}

/** A list with map semantics for server-side apply but no strategic merge key (replaced by SMP). */
export function mapList(itemName: string, keys: string[], description?: string): Schema {
  return { type: 'array', items: ref(itemName), 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': keys, ...described(description) };
}

/** A set of strings merged by strategic merge patch (finalizers, podCIDRs). */
export function mergedStringSet(description?: string): Schema {
  return {
    type: 'array',
    items: { type: 'string', default: '' },
    'x-kubernetes-list-type': 'set',
    'x-kubernetes-patch-strategy': 'merge',
    ...described(description),
  };
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export function gvkExtension(gvk: GroupVersionKind): Schema {
  return { 'x-kubernetes-group-version-kind': [{ group: gvk.group, kind: gvk.kind, version: gvk.version }] };
}

/** The top-level schema of a kind: apiVersion, kind, metadata, then its own fields. */
export function kindSchema(gvk: GroupVersionKind, description: string, properties: Record<string, Schema>, extra: Schema = {}): Schema {
  return {
    description,
    type: 'object',
    ...extra,
    properties: {
      apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
      kind: str('Kind is a string value representing the REST resource this object represents.'),
      metadata: ref(metaName('ObjectMeta'), "Standard object's metadata."),
      ...properties,
    },
    ...gvkExtension(gvk),
  };
}

/** `<Kind>List`: the answer of a list call. */
export function listSchema(gvk: GroupVersionKind, itemName: string): Schema {
  return {
    description: `${gvk.kind} is a list of ${itemName.slice(itemName.lastIndexOf('.') + 1)}.`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
      items: { type: 'array', items: ref(itemName), description: 'List of objects.' },
      kind: str('Kind is a string value representing the REST resource this object represents.'),
      metadata: ref(metaName('ListMeta'), "Standard list metadata."),
    },
    ...gvkExtension(gvk),
  };
}

/** Every `$ref` target named in a schema tree. */
export function referencedNames(node: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) referencedNames(item, out);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(schemaRefPrefix)) out.add(value.slice(schemaRefPrefix.length));
      else referencedNames(value, out);
    }
  }
  return out;
}
