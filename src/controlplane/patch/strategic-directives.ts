// The map-level directives of a strategic merge patch, applied before the ordinary keys are merged:
//   $retainKeys: [..]                     drop every key of the server map not listed (volumes, strategy)
//   $setElementOrder/<list>: [..]         the final relative order of <list> (kubectl apply sends it)
//   $deleteFromPrimitiveList/<list>: [..] remove these scalars from <list> (e.g. finalizers)
// Error codes follow the API server: a malformed directive is a 400, a list that cannot merge a 422.
import { errors } from '../errors.js';
import { patchInvalid } from './patch-errors.js';
import type { PatchSchema } from './patch-schema.js';
import { hasKey, isJsonObject, jsonEqual } from './json-value.js';
import type { JsonObject } from './json-value.js';
import { cleanList } from './strategic-clean.js';
import { identityFor, orderMergedList, partitionByPresence } from './strategic-order.js';
import type { ItemIdentity } from './strategic-order.js';

export const directiveMarker = '$patch';
export const retainKeysDirective = '$retainKeys';
export const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList/';
export const setElementOrderPrefix = '$setElementOrder/';

export type ListMerger = (original: unknown[], patch: unknown[], schema: PatchSchema | undefined, path: string) => unknown[];

const isOrderOrDeleteKey = (key: string): boolean =>
  key.startsWith(deleteFromPrimitiveListPrefix) || key.startsWith(setElementOrderPrefix);

/** Clears keys of `original` that the patch's $retainKeys does not list; every patched key must be listed. */
export function applyRetainKeys(original: JsonObject, patch: JsonObject, path: string): void {
  if (!hasKey(patch, retainKeysDirective)) return;
  const keep = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!Array.isArray(keep)) throw errors.badRequest(`invalid patch format of retainKeys at ${path || '.'}: $retainKeys must be a list`);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key === directiveMarker || isOrderOrDeleteKey(key)) continue;
    if (!keep.includes(key)) {
      throw errors.badRequest(`invalid patch format of retainKeys at ${path || '.'}: "${key}" is patched but not listed in $retainKeys`);
    }
  }
  for (const key of Object.keys(original)) if (!keep.includes(key)) delete original[key];
}

/** Removes the scalars listed in `$deleteFromPrimitiveList/<list>` from <list>, when the server has it. */
export function deleteFromPrimitiveList(original: JsonObject, directiveKey: string, values: unknown, path: string): void {
  const listKey = directiveKey.slice(deleteFromPrimitiveListPrefix.length);
  if (listKey === '' || !Array.isArray(values)) {
    throw errors.badRequest(`invalid patch format of primitive list at ${path || '.'}: ${directiveKey} must name a list and hold a list`);
  }
  const current = original[listKey];
  if (!Array.isArray(current)) return;
  original[listKey] = current.filter((item) => !values.some((v) => jsonEqual(v, item)));
}

/** Merges each list that has a $setElementOrder directive and orders it; the list is then removed from
 *  `patch` so the ordinary merge does not see it again. */
export function applySetElementOrder(original: JsonObject, patch: JsonObject, schema: PatchSchema | undefined, path: string, mergeList: ListMerger): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(setElementOrderPrefix)) continue;
    const order = patch[key];
    delete patch[key];
    const listKey = key.slice(setElementOrderPrefix.length);
    if (listKey === '' || !Array.isArray(order)) {
      throw errors.badRequest(`invalid patch format of setElementOrder list at ${path || '.'}: ${key} must name a list and hold a list`);
    }
    const listSchema = schema?.fields?.[listKey];
    const identity = identityFor(listSchema?.mergeKey);
    const current = original[listKey];
    const fromPatch = patch[listKey];
    if (current !== undefined && !Array.isArray(current)) continue;
    if (fromPatch !== undefined && fromPatch !== null && !Array.isArray(fromPatch)) {
      throw errors.badRequest(`invalid patch format of setElementOrder list at ${path}.${listKey}: the field is not a list`);
    }
    if (!Array.isArray(fromPatch) && current === undefined) continue;
    if (Array.isArray(fromPatch)) checkOrderMatchesPatch(fromPatch, order, identity, `${path}.${listKey}`);
    const base = current ?? [];
    const merged = Array.isArray(fromPatch) ? mergeOrReplace(base, fromPatch, listSchema, `${path}.${listKey}`, mergeList) : base;
    const [ordered, rest] = partitionByPresence(merged, order, identity);
    original[listKey] = orderMergedList(ordered, rest, order, base, identity);
    delete patch[listKey];
  }
}

function mergeOrReplace(base: unknown[], fromPatch: unknown[], schema: PatchSchema | undefined, path: string, mergeList: ListMerger): unknown[] {
  return schema?.strategy === 'merge' ? mergeList(base, fromPatch, schema, path) : cleanList(fromPatch);
}

/** The patch list's items (deletions and other directives aside) must appear in the order list, in order. */
function checkOrderMatchesPatch(patchList: unknown[], order: unknown[], identity: ItemIdentity, path: string): void {
  const items = patchList.filter((item) => !(isJsonObject(item) && hasKey(item, directiveMarker)));
  let next = 0;
  for (const entry of order) {
    if (next < items.length && identity(items[next]) === identity(entry)) next++;
  }
  if (next < items.length) {
    throw errors.badRequest(`invalid patch format of setElementOrder list at ${path}: the order in the patch list ${JSON.stringify(patchList)} doesn't match ${JSON.stringify(order)}`);
  }
}
