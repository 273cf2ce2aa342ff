// The schemas of the kinds one ResourceDef serves: the root kind schema, its List, and (through
// completeReferences) every built-in schema they reference. Built-in kinds use our tables; custom
// resources embed their CRD openAPIV3Schema with apiVersion, kind and metadata filled in, as
// kube-apiserver publishes them.
import type { ResourceDef } from '../registry/types.js';
import { coreSchemas } from './core-schemas.js';
import { metaSchemas } from './meta-schemas.js';
import { podSpecSchemas } from './pod-schemas.js';
import {
  deepFreeze, gvkExtension, listSchema, metaName, ref, referencedNames, str, type GroupVersionKind, type Schema,
} from './schema-builders.js';
import { schemaName } from './schema-names.js';
import { workloadSchemas } from './workload-schemas.js';

/** Every hand-written schema, keyed by its Kubernetes name. Frozen: documents share these subtrees. */
export const builtinSchemas: Readonly<Record<string, Schema>> = deepFreeze({
  ...metaSchemas, ...podSpecSchemas, ...coreSchemas, ...workloadSchemas,
});

/** Schemas every group-version document carries (list metadata, errors, delete and patch bodies). */
export const baseSchemaNames = ['ObjectMeta', 'ListMeta', 'Status', 'DeleteOptions', 'Patch'].map(metaName);

export interface KindSchemas {
  gvk: GroupVersionKind;
  kindName: string;
  listName: string;
  schemas: Record<string, Schema>;
  /**
   * Whether the document may offer strategic merge patch for the kind: only built-in kinds with a
   * hand-written schema. For the others kubectl then silently uses its compiled-in patch metadata,
   * instead of warning that a field is missing from our loose schema.
   */
  strategicMerge: boolean;
}

export function kindSchemasFor(def: ResourceDef, version: string): KindSchemas {
  const custom = def.crd !== undefined;
  const gvk = { group: def.group, version, kind: def.kind };
  const kindName = schemaName(def.group, version, def.kind, custom);
  const listName = schemaName(def.group, version, def.listKind, custom);
  const known = custom ? undefined : builtinSchemas[kindName];
  return {
    gvk,
    kindName,
    listName,
    strategicMerge: def.strategicMerge && known !== undefined,
    schemas: {
      [kindName]: known ?? schemaFromDef(def, gvk),
      [listName]: listSchema({ ...gvk, kind: def.listKind }, kindName),
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A CRD's (or an unknown built-in's) schema with the standard top-level fields and its GVK. */
function schemaFromDef(def: ResourceDef, gvk: GroupVersionKind): Schema {
  const given: Schema = isRecord(def.schema) ? structuredClone(def.schema) : { 'x-kubernetes-preserve-unknown-fields': true };
  const { apiVersion: _v, kind: _k, metadata: _m, ...own } = isRecord(given['properties']) ? given['properties'] : {};
  return {
    ...given,
    type: 'object',
    properties: {
      apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
      kind: str('Kind is a string value representing the REST resource this object represents.'),
      metadata: ref(metaName('ObjectMeta'), "Standard object's metadata."),
      ...own,
    },
    ...gvkExtension(gvk),
  };
}

/** Adds every built-in schema referenced (transitively) from `schemas` or `extraRoots`. */
export function completeReferences(schemas: Record<string, Schema>, extraRoots: unknown[] = []): void {
  const pending = [...referencedNames([schemas, ...extraRoots])];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (name in schemas) continue;
    const schema = builtinSchemas[name];
    if (!schema) continue;
    schemas[name] = schema;
    pending.push(...referencedNames(schema));
  }
}

/** A copy of `record` with its keys sorted, so equal inputs give byte-identical JSON (stable hashes). */
export function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
