// Values a strategic merge patch adds where the server has nothing to merge with still carry patch
// syntax. The API server decodes the result into Go structs, which drops nulls and `$` keys; we store
// JSON, so we drop them here: a `{$patch: delete}` value vanishes, `{$patch: replace, ...}` keeps the rest,
// list items carrying `$patch` are removed, and null members are discarded.
import { hasKey, isJsonObject } from './json-value.js';
import type { JsonObject } from './json-value.js';

/** The value to store for a patch value that is not merged with anything; undefined = store nothing. */
export function cleanValue(value: unknown): unknown {
  if (Array.isArray(value)) return cleanList(value);
  if (!isJsonObject(value)) return value;
  if (value.$patch === 'delete') return undefined;
  const out: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    if (key.startsWith('$') || member === null) continue;
    const cleaned = cleanValue(member);
    if (cleaned !== undefined) out[key] = cleaned;
  }
  return out;
}

export function cleanList(list: readonly unknown[]): unknown[] {
  return list.filter((item) => !(isJsonObject(item) && hasKey(item, '$patch'))).map(cleanValue);
}
