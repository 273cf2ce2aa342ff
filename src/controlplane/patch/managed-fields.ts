// metadata.managedFields: who owns which fields. Reading and writing the Kubernetes shape
// ({manager, operation, apiVersion, time, fieldsType: 'FieldsV1', fieldsV1, subresource?}), and recording
// an ordinary write (create, update, non-apply patch) as Kubernetes does: the writer takes ownership of
// every field it changed, and other managers lose those fields and any field that disappeared.
import type { KubeObject } from '../../api/index.js';
import { patchSchemaFor } from './patch-schema.js';
import { fieldSet, fieldSetFromFieldsV1, fieldSetToFieldsV1, hasPath, pathKey } from './field-set.js';
import type { FieldPath, FieldSet } from './field-set.js';
import { pathsOf, valueAt } from './field-paths.js';
import { cloneJson, isJsonObject, jsonEqual } from './json-value.js';

export type ManagedOperation = 'Apply' | 'Update';

export interface ManagedFieldsEntry {
  manager: string;
  operation: ManagedOperation;
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** One entry, decoded. */
export interface Owner {
  manager: string;
  operation: ManagedOperation;
  apiVersion: string;
  time: string;
  subresource?: string;
  fields: FieldSet;
}

/** Who writes, as far as ownership is concerned. */
export interface Writer {
  manager: string;
  kind: string;
  apiVersion: string;
  subresource?: string;
  /** RFC 3339; defaults to now. */
  time?: string;
  /** Paths (field names) whose values this request cannot set, e.g. [['status']] on the main resource. */
  resetFields?: readonly (readonly string[])[];
}

/** Server-set metadata is nobody's field (Kubernetes strips the same paths before tracking). */
const serverFields = ['apiVersion', 'kind', 'metadata.name', 'metadata.namespace', 'metadata.uid',
  'metadata.resourceVersion', 'metadata.generation', 'metadata.creationTimestamp', 'metadata.selfLink',
  'metadata.managedFields', 'metadata.deletionTimestamp', 'metadata.deletionGracePeriodSeconds']
  .map((p) => p.split('.'));

export function nowRfc3339(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The paths an object sets, minus server-set metadata and the writer's reset fields. */
export function ownedPaths(obj: unknown, writer: Pick<Writer, 'kind' | 'apiVersion' | 'resetFields'>): FieldSet {
  const ignored = [...serverFields, ...(writer.resetFields ?? [])].map((names) => names.map((n) => `f:${n}`));
  return pathsOf(obj, patchSchemaFor(writer.kind, writer.apiVersion), fieldSet(ignored));
}

/** Kubernetes identifies a manager by name, operation and subresource, plus apiVersion for updaters. */
export function sameOwner(a: Omit<Owner, 'fields' | 'time'>, b: Omit<Owner, 'fields' | 'time'>): boolean {
  return a.manager === b.manager && a.operation === b.operation && (a.subresource ?? '') === (b.subresource ?? '') &&
    (a.operation === 'Apply' || a.apiVersion === b.apiVersion);
}

export function readOwners(obj: KubeObject | undefined): Owner[] {
  const entries = obj?.metadata.managedFields;
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((entry): Owner[] => {
    if (!isJsonObject(entry) || typeof entry.manager !== 'string') return [];
    const operation = entry.operation === 'Apply' ? 'Apply' : 'Update';
    const owner: Owner = {
      manager: entry.manager, operation, apiVersion: typeof entry.apiVersion === 'string' ? entry.apiVersion : '',
      time: typeof entry.time === 'string' ? entry.time : '', fields: fieldSetFromFieldsV1(entry.fieldsV1),
    };
    if (typeof entry.subresource === 'string' && entry.subresource !== '') owner.subresource = entry.subresource;
    return [owner];
  });
}

/** Sets metadata.managedFields from `owners` (in place), dropping owners of nothing. */
export function writeOwners(obj: KubeObject, owners: readonly Owner[]): void {
  const entries: ManagedFieldsEntry[] = owners.filter((o) => o.fields.size > 0).map((o) => ({
    manager: o.manager, operation: o.operation, apiVersion: o.apiVersion, time: o.time,
    fieldsType: 'FieldsV1', fieldsV1: fieldSetToFieldsV1(o.fields), ...(o.subresource ? { subresource: o.subresource } : {}),
  }));
  if (entries.length > 0) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}

/** Paths of `next` whose value differs from `previous` (interior nodes count only when new). */
export function changedPaths(previous: unknown, next: unknown, nextPaths: FieldSet, previousPaths: FieldSet): FieldSet {
  const changed: FieldSet = new Map();
  for (const path of nextPaths.values()) {
    const after = valueAt(next, path);
    const interior = after.found && isJsonObject(after.value) && Object.keys(after.value).length > 0;
    if (interior ? !hasPath(previousPaths, path) : !sameValue(previous, next, path)) changed.set(pathKey(path), path);
  }
  return changed;
}

function sameValue(a: unknown, b: unknown, path: FieldPath): boolean {
  const x = valueAt(a, path);
  const y = valueAt(b, path);
  return x.found && y.found && jsonEqual(x.value, y.value);
}

/** True when a write asks to clear managedFields (Kubernetes' reset form: a list holding one empty entry). */
function isReset(requested: unknown): boolean {
  return Array.isArray(requested) && requested.length === 1 && isJsonObject(requested[0]) && Object.keys(requested[0]).length === 0;
}

/**
 * Records an ordinary write by `writer` (operation Update) and returns a copy of `next` with
 * metadata.managedFields updated. `previous` undefined = create. When `next` carries managedFields that
 * differ from `previous`'s, the request's list is the starting point (the reset form clears them).
 */
export function recordUpdate(previous: KubeObject | undefined, next: KubeObject, writer: Writer): KubeObject {
  const result = cloneJson(next);
  const requested = next.metadata.managedFields;
  if (isReset(requested)) {
    delete result.metadata.managedFields;
    return result;
  }
  const fromRequest = Array.isArray(requested) && !jsonEqual(requested, previous?.metadata.managedFields);
  const owners = readOwners(fromRequest ? next : previous);
  const nextPaths = ownedPaths(next, writer);
  const previousPaths = previous ? ownedPaths(previous, writer) : fieldSet();
  const changed = changedPaths(previous, next, nextPaths, previousPaths);
  const me = { manager: writer.manager, operation: 'Update' as const, apiVersion: writer.apiVersion, ...(writer.subresource ? { subresource: writer.subresource } : {}) };
  for (const owner of owners) {
    if (sameOwner(owner, me)) continue;
    for (const [key, path] of owner.fields) if (changed.has(key) || !nextPaths.has(key)) owner.fields.delete(pathKey(path));
  }
  const mine = owners.find((o) => sameOwner(o, me));
  if (mine) {
    for (const key of [...mine.fields.keys()]) if (!nextPaths.has(key)) mine.fields.delete(key);
    for (const [key, path] of changed) mine.fields.set(key, path);
    if (changed.size > 0) mine.time = writer.time ?? nowRfc3339();
  } else if (changed.size > 0) {
    owners.push({ ...me, time: writer.time ?? nowRfc3339(), fields: changed });
  }
  writeOwners(result, owners);
  return result;
}
