// Sets of field paths, as metadata.managedFields records them. A path is a list of elements in the
// FieldsV1 encoding: `f:<field>`, `k:<json of the merge key>` (an item of a keyed list), `v:<json>` (an
// item of a set of scalars), `i:<index>`. Encoded as FieldsV1, a path that has children and is itself
// owned gets a `.` member, e.g. {"f:metadata":{"f:labels":{".":{},"f:app":{}}}}.
import { isJsonObject } from './json-value.js';
import type { JsonObject } from './json-value.js';

export type FieldPath = readonly string[];
/** Keyed by pathKey(path), so membership tests are exact. */
export type FieldSet = Map<string, FieldPath>;

export const pathKey = (path: FieldPath): string => JSON.stringify(path);

export function fieldSet(paths: Iterable<FieldPath> = []): FieldSet {
  const set: FieldSet = new Map();
  for (const path of paths) set.set(pathKey(path), path);
  return set;
}

export function hasPath(set: FieldSet, path: FieldPath): boolean {
  return set.has(pathKey(path));
}

export const isPrefix = (prefix: FieldPath, path: FieldPath): boolean =>
  prefix.length <= path.length && prefix.every((element, i) => path[i] === element);

/** Whether `set` holds `path` or anything below it. */
export function ownsAtOrBelow(set: FieldSet, path: FieldPath): boolean {
  for (const owned of set.values()) if (isPrefix(path, owned)) return true;
  return false;
}

export function fieldSetFromFieldsV1(fields: unknown): FieldSet {
  const set: FieldSet = new Map();
  const walk = (node: JsonObject, path: string[]): void => {
    for (const [element, child] of Object.entries(node)) {
      if (element === '.') {
        if (path.length > 0) set.set(pathKey(path), path);
      } else if (isJsonObject(child)) {
        const childPath = [...path, element];
        if (Object.keys(child).length === 0) set.set(pathKey(childPath), childPath);
        else walk(child, childPath);
      }
    }
  };
  if (isJsonObject(fields)) walk(fields, []);
  return set;
}

export function fieldSetToFieldsV1(set: FieldSet): JsonObject {
  const root: JsonObject = {};
  const owned = new Set<JsonObject>();
  for (const path of set.values()) {
    let node = root;
    for (const element of path) {
      const next = isJsonObject(node[element]) ? (node[element] as JsonObject) : {};
      node[element] = next;
      node = next;
    }
    owned.add(node);
  }
  return sortFields(root, owned);
}

/** `.` first, then elements in string order, so the encoding is stable. */
function sortFields(node: JsonObject, owned: Set<JsonObject>): JsonObject {
  const keys = Object.keys(node).sort();
  const out: JsonObject = keys.length > 0 && owned.has(node) ? { '.': {} } : {};
  for (const key of keys) out[key] = sortFields(node[key] as JsonObject, owned);
  return out;
}

/** A path as Kubernetes prints it in conflict messages: .spec.containers[name="nginx"].image */
export function formatFieldPath(path: FieldPath): string {
  return path.map((element) => {
    const body = element.slice(2);
    if (element.startsWith('f:')) return `.${body}`;
    if (element.startsWith('v:')) return `[=${body}]`;
    if (element.startsWith('i:')) return `[${body}]`;
    const key = JSON.parse(body) as JsonObject;
    return `[${Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
  }).join('');
}
