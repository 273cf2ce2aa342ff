// Narrow readers for plain-JSON Kubernetes objects. Printers, strategies and validation read objects that
// came from users, so every access tolerates missing or wrongly-typed fields instead of throwing.

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows keys through nested records; undefined as soon as a step is missing or not a record. */
export function dig(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function asString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function asNumber(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asRecord(value: unknown): JsonRecord {
  return isRecord(value) ? value : {};
}

export function asStringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(value)) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Returns the record at `obj[key]`, creating an empty one when absent or not a record. */
export function ensureRecord(obj: JsonRecord, key: string): JsonRecord {
  const existing = obj[key];
  if (isRecord(existing)) return existing;
  const created: JsonRecord = {};
  obj[key] = created;
  return created;
}

/** Sets `obj[key]` only when it is absent (undefined or null), like Kubernetes defaulting of nil fields. */
export function setDefault(obj: JsonRecord, key: string, value: unknown): void {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value;
}

/** JSON with object keys sorted, so two values compare equal regardless of key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  const out: JsonRecord = {};
  for (const key of Object.keys(value).sort()) if (value[key] !== undefined) out[key] = sortKeys(value[key]);
  return out;
}
