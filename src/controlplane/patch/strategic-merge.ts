// Strategic merge patch (application/strategic-merge-patch+json), following the semantics of
// k8s.io/apimachinery's strategicpatch for built-in kinds:
// - maps merge key by key; a null value deletes the key;
// - lists whose field has patchStrategy merge (patch-schema.ts) merge items by their merge key, or as a
//   set for lists of scalars; every other list is replaced by the patch's list;
// - `$patch: replace` on a map replaces it, `$patch: delete` empties it; in a merging list an item
//   `{$patch: delete, <key>: v}` removes the item and `{$patch: replace}` makes the patch's items the list;
// - $retainKeys, $setElementOrder/<list> and $deleteFromPrimitiveList/<list> (strategic-directives.ts).
// One deliberate leniency: `$patch: merge` on a map is accepted as the default rather than rejected.
import { errors } from '../errors.js';
import { patchInvalid } from './patch-errors.js';
import { patchSchemaFor } from './patch-schema.js';
import type { PatchSchema } from './patch-schema.js';
import { cloneJson, hasKey, isJsonObject, jsonEqual } from './json-value.js';
import type { JsonObject } from './json-value.js';
import { cleanList, cleanValue } from './strategic-clean.js';
import {
  applyRetainKeys, applySetElementOrder, deleteFromPrimitiveList, deleteFromPrimitiveListPrefix, directiveMarker,
} from './strategic-directives.js';
import { identityFor, orderMergedList, partitionByPresence } from './strategic-order.js';

export function applyStrategicMergePatch(doc: unknown, patch: unknown, kind: string, apiVersion: string): unknown {
  if (!isJsonObject(patch)) throw errors.badRequest('a strategic merge patch must be a JSON object');
  return strategicMerge(doc, patch, patchSchemaFor(kind, apiVersion));
}

/** Merges `patch` into a copy of `doc` under `schema`; neither input is modified. */
export function strategicMerge(doc: unknown, patch: JsonObject, schema: PatchSchema | undefined): JsonObject {
  return mergeMap(isJsonObject(doc) ? cloneJson(doc) : {}, cloneJson(patch), schema, '');
}

/** Merges `patch` into `original` in place (both are private copies) and returns the result. */
function mergeMap(original: JsonObject, patch: JsonObject, schema: PatchSchema | undefined, path: string): JsonObject {
  if (hasKey(patch, directiveMarker)) {
    const directive = patch[directiveMarker];
    delete patch[directiveMarker];
    if (directive === 'replace') return cleanValue(patch) as JsonObject;
    if (directive === 'delete') return {};
    if (directive !== 'merge') throw patchInvalid(`unknown patch type: ${JSON.stringify(directive)} in map at ${path || '.'}`);
  }
  applyRetainKeys(original, patch, path);
  applySetElementOrder(original, patch, schema, path, mergeList);
  const deletions: [string, unknown][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(deleteFromPrimitiveListPrefix)) deletions.push([key, value]);
    else if (!key.startsWith('$')) mergeField(original, key, value, schema?.fields?.[key], `${path}.${key}`);
  }
  for (const [key, value] of deletions) deleteFromPrimitiveList(original, key, value, path);
  return original;
}

function mergeField(original: JsonObject, key: string, value: unknown, schema: PatchSchema | undefined, path: string): void {
  const current = original[key];
  if (value === null) {
    delete original[key];
  } else if (isJsonObject(current) && isJsonObject(value)) {
    original[key] = mergeMap(current, value, schema, path);
  } else if (Array.isArray(current) && Array.isArray(value)) {
    original[key] = schema?.strategy === 'merge' ? mergeList(current, value, schema, path) : cleanList(value);
  } else {
    const cleaned = cleanValue(value);
    if (cleaned === undefined) delete original[key];
    else original[key] = cleaned;
  }
}

/** A list with patchStrategy merge. `schema.fields` describes the items of a list of objects. */
function mergeList(original: unknown[], patch: unknown[], schema: PatchSchema | undefined, path: string): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  if (elementsAreObjects([...original, ...patch], path)) return mergeObjectList(original, patch, schema, path);
  const merged: unknown[] = [];
  for (const item of [...original, ...patch]) if (!merged.some((m) => jsonEqual(m, item))) merged.push(item);
  const identity = identityFor(undefined);
  const [fromPatch, serverOnly] = partitionByPresence(merged, patch, identity);
  return orderMergedList(fromPatch, serverOnly, patch, original, identity);
}

function elementsAreObjects(items: readonly unknown[], path: string): boolean {
  if (items.some((item) => Array.isArray(item))) throw patchInvalid(`lists of lists are not supported (at ${path})`);
  const objects = items.filter((item) => isJsonObject(item)).length;
  if (objects > 0 && objects < items.length) throw patchInvalid(`list element types are not identical at ${path}: objects mixed with scalars`);
  return objects > 0;
}

function mergeObjectList(original: unknown[], patch: unknown[], schema: PatchSchema | undefined, path: string): unknown[] {
  const mergeKey = schema?.mergeKey;
  if (mergeKey === undefined) throw patchInvalid(`cannot merge lists without merge key for ${path}`);
  const { base, items } = applyListDirectives(original, patch as JsonObject[], mergeKey, path);
  const merged = [...base];
  for (const item of items) {
    if (!hasKey(item, mergeKey)) throw noMergeKey(item, mergeKey, path);
    const at = merged.findIndex((m) => isJsonObject(m) && jsonEqual(m[mergeKey], item[mergeKey]));
    const existing = merged[at];
    if (isJsonObject(existing)) {
      merged[at] = mergeMap(existing, item, schema, `${path}[${mergeKey}=${JSON.stringify(item[mergeKey])}]`);
    } else {
      const cleaned = cleanValue(item);
      if (cleaned !== undefined) merged.push(cleaned);
    }
  }
  const identity = identityFor(mergeKey);
  const [fromPatch, serverOnly] = partitionByPresence(merged, items, identity);
  return orderMergedList(fromPatch, serverOnly, items, base, identity);
}

/** Handles list items carrying `$patch`; returns the server list left after deletions (or the patch's
 *  items, for `$patch: replace`) and the ordinary items still to merge. */
function applyListDirectives(original: unknown[], patch: JsonObject[], mergeKey: string, path: string): { base: unknown[]; items: JsonObject[] } {
  let base = original;
  let replace = false;
  const items: JsonObject[] = [];
  for (const item of patch) {
    if (!hasKey(item, directiveMarker)) {
      items.push(item);
      continue;
    }
    const directive = item[directiveMarker];
    if (directive === 'delete') {
      if (!hasKey(item, mergeKey)) throw noMergeKey(item, mergeKey, path);
      base = base.filter((m) => !(isJsonObject(m) && jsonEqual(m[mergeKey], item[mergeKey])));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw patchInvalid(`merging lists cannot yet be specified in the patch (at ${path})`);
    } else {
      throw patchInvalid(`unknown patch type: ${JSON.stringify(directive)} in list at ${path}`);
    }
  }
  return replace ? { base: cleanList(items), items: [] } : { base, items };
}

function noMergeKey(item: JsonObject, mergeKey: string, path: string): Error {
  return patchInvalid(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey} (at ${path})`);
}
