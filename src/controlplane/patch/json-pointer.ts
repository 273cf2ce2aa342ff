// RFC 6901 JSON pointers and the three edits JSON patch is built from (add, remove, read). Each edit reports
// failures through `fail`, so the caller can name the operation that failed.
import { isJsonObject, hasKey } from './json-value.js';
import type { JsonObject } from './json-value.js';

export type Fail = (reason: string) => never;

export function parsePointer(pointer: string, fail: Fail): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) fail(`"${pointer}" is not a JSON pointer: it must be empty or start with "/"`);
  return pointer.slice(1).split('/').map((token) => {
    if (/~(?![01])/.test(token)) fail(`"${pointer}" has an invalid escape: "~" must be followed by 0 or 1`);
    return token.replace(/~1/g, '/').replace(/~0/g, '~');
  });
}

export function formatPointer(tokens: readonly string[]): string {
  return tokens.map((t) => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** An array index token: decimal without leading zeros; '-' (one past the end) only when `allowEnd`. */
function arrayIndex(token: string, length: number, allowEnd: boolean, where: string, fail: Fail): number {
  if (token === '-' && allowEnd) return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) fail(`"${token}" is not a valid array index at "${where}"`);
  const index = Number(token);
  const max = allowEnd ? length : length - 1;
  if (index > max) fail(`index ${index} is out of bounds at "${where}" (the array has ${length} elements)`);
  return index;
}

/** Follows all tokens; returns found=false (with the first missing location) instead of failing. */
export function lookup(doc: unknown, tokens: readonly string[]): { found: true; value: unknown } | { found: false; missing: string } {
  let current = doc;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (Array.isArray(current) && /^(0|[1-9][0-9]*)$/.test(token) && Number(token) < current.length) {
      current = current[Number(token)];
    } else if (isJsonObject(current) && hasKey(current, token)) {
      current = current[token];
    } else {
      return { found: false, missing: formatPointer(tokens.slice(0, i + 1)) };
    }
  }
  return { found: true, value: current };
}

export function getValue(doc: unknown, tokens: readonly string[], fail: Fail): unknown {
  const result = lookup(doc, tokens);
  if (!result.found) fail(`path "${result.missing}" does not exist`);
  return result.value;
}

/** The container that holds the last token, which must exist and be an object or array. */
function parentOf(doc: unknown, tokens: readonly string[], fail: Fail): JsonObject | unknown[] {
  const parentTokens = tokens.slice(0, -1);
  const parent = getValue(doc, parentTokens, fail);
  if (!isJsonObject(parent) && !Array.isArray(parent)) {
    fail(`"${formatPointer(parentTokens)}" is a ${parent === null ? 'null' : typeof parent}, not an object or array`);
  }
  return parent;
}

/** RFC 6902 add: insert into an array (shifting), or create/overwrite an object member. Returns the new root. */
export function addValue(doc: unknown, tokens: readonly string[], value: unknown, fail: Fail): unknown {
  if (tokens.length === 0) return value;
  const parent = parentOf(doc, tokens, fail);
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(last, parent.length, true, formatPointer(tokens), fail), 0, value);
  } else {
    parent[last] = value;
  }
  return doc;
}

/** RFC 6902 remove: the location must exist. Returns the removed value. */
export function removeValue(doc: unknown, tokens: readonly string[], fail: Fail): unknown {
  if (tokens.length === 0) fail('the whole document cannot be removed');
  const parent = parentOf(doc, tokens, fail);
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) {
    const index = arrayIndex(last, parent.length, false, formatPointer(tokens), fail);
    return parent.splice(index, 1)[0];
  }
  if (!hasKey(parent, last)) fail(`path "${formatPointer(tokens)}" does not exist`);
  const removed = parent[last];
  delete parent[last];
  return removed;
}
