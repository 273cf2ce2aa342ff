// Field paths over an object: which paths an object sets (under the strategic-merge schema, so items of
// keyed lists get their own paths), reading the value at a path and removing it.
import type { PatchSchema } from './patch-schema.js';
import { pathKey } from './field-set.js';
import type { FieldPath, FieldSet } from './field-set.js';
import { hasKey, isJsonObject, jsonEqual } from './json-value.js';
import type { JsonObject } from './json-value.js';

/** Maps with free-form keys own their own path (a `.` entry), as Kubernetes records them; for structs
 *  only the leaves are recorded. We have no full schema, so these are recognised by field name. */
const freeFormMaps = new Set(['f:labels', 'f:annotations', 'f:matchLabels', 'f:nodeSelector', 'f:data',
  'f:stringData', 'f:binaryData', 'f:limits', 'f:requests', 'f:capacity', 'f:allocatable']);

/** Every path `obj` sets. `ignored` paths (and everything below them) are left out. */
export function pathsOf(obj: unknown, schema: PatchSchema | undefined, ignored: FieldSet): FieldSet {
  const out: FieldSet = new Map();
  const add = (path: FieldPath): void => {
    if (path.length > 0) out.set(pathKey(path), path);
  };
  const walk = (value: unknown, node: PatchSchema | undefined, path: FieldPath, isItem: boolean): void => {
    if (ignored.has(pathKey(path))) return;
    if (isJsonObject(value)) {
      const keys = Object.keys(value);
      if (keys.length === 0 || isItem || freeFormMaps.has(path[path.length - 1] ?? '')) add(path);
      for (const key of keys) walk(value[key], node?.fields?.[key], [...path, `f:${key}`], false);
    } else if (Array.isArray(value) && value.length > 0 && node?.strategy === 'merge') {
      walkMergingList(value, node, path, walk, add);
    } else {
      add(path);
    }
  };
  walk(obj, schema, [], false);
  return out;
}

type Walker = (value: unknown, node: PatchSchema | undefined, path: FieldPath, isItem: boolean) => void;

function walkMergingList(list: unknown[], node: PatchSchema, path: FieldPath, walk: Walker, add: (p: FieldPath) => void): void {
  const mergeKey = node.mergeKey;
  if (mergeKey === undefined) {
    for (const item of list) add([...path, `v:${JSON.stringify(item)}`]);
    return;
  }
  // An item without its key cannot be addressed; then the list is owned as a whole.
  if (!list.every((item) => isJsonObject(item) && item[mergeKey] !== undefined && item[mergeKey] !== null)) {
    add(path);
    return;
  }
  for (const item of list as JsonObject[]) walk(item, node, [...path, `k:${JSON.stringify({ [mergeKey]: item[mergeKey] })}`], true);
}

type Found = { found: true; value: unknown } | { found: false };

function stepInto(container: unknown, element: string): { parent: JsonObject | unknown[]; slot: string | number } | undefined {
  const body = element.slice(2);
  if (element.startsWith('f:')) return isJsonObject(container) && hasKey(container, body) ? { parent: container, slot: body } : undefined;
  if (!Array.isArray(container)) return undefined;
  let index = -1;
  if (element.startsWith('i:')) index = Number(body) < container.length ? Number(body) : -1;
  else if (element.startsWith('v:')) index = container.findIndex((item) => jsonEqual(item, JSON.parse(body)));
  else if (element.startsWith('k:')) {
    const key = JSON.parse(body) as JsonObject;
    index = container.findIndex((item) => isJsonObject(item) && Object.entries(key).every(([k, v]) => jsonEqual(item[k], v)));
  }
  return index >= 0 ? { parent: container, slot: index } : undefined;
}

export function valueAt(obj: unknown, path: FieldPath): Found {
  let current = obj;
  for (const element of path) {
    const step = stepInto(current, element);
    if (!step) return { found: false };
    current = Array.isArray(step.parent) ? step.parent[step.slot as number] : step.parent[step.slot as string];
  }
  return { found: true, value: current };
}

/** Removes the value at `path` (an object member or a list item). Returns whether something was removed. */
export function removeAt(obj: unknown, path: FieldPath): boolean {
  const last = path[path.length - 1];
  if (last === undefined) return false;
  const parent = valueAt(obj, path.slice(0, -1));
  const step = parent.found ? stepInto(parent.value, last) : undefined;
  if (!step) return false;
  if (Array.isArray(step.parent)) step.parent.splice(step.slot as number, 1);
  else delete step.parent[step.slot as string];
  return true;
}
