// RFC 7386 JSON merge patch (application/merge-patch+json): objects merge key by key, null deletes a key,
// anything else (arrays included) replaces the target value.
import { cloneJson, isJsonObject } from './json-value.js';
import type { JsonObject } from './json-value.js';

export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  return mergeInto(cloneJson(doc), patch);
}

function mergeInto(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const result: JsonObject = isJsonObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergeInto(result[key], value);
  }
  return result;
}
