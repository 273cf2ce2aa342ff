import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from './errors.js';

// Options resolved in stages: embedded defaults → YAML file → overrides (flags) → schema → frozen.
// A pure function of its inputs: the caller reads the file; tests pass text.

export interface ConfigSources {
  /** Embedded defaults, in the shape of the YAML file. */
  defaults: unknown;
  /** Text of the YAML config file, if one was given. */
  fileText?: string;
  /** Name of that file, for error messages. */
  fileName?: string;
  /** Values from flags, in the same shape; undefined leaves a field alone. */
  overrides?: unknown;
}

export function loadConfig<T>(schema: z.ZodType<T>, sources: ConfigSources): Readonly<T> {
  let merged = mergeConfig(undefined, sources.defaults);
  if (sources.fileText !== undefined) merged = mergeConfig(merged, parseConfigText(sources.fileText, sources.fileName));
  merged = mergeConfig(merged, sources.overrides);
  const result = schema.safeParse(merged);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
    throw new ConfigError(issues, { source: sources.fileName, cause: result.error });
  }
  return deepFreeze(result.data);
}

/** Parses YAML text that must hold a mapping (or nothing). */
export function parseConfigText(text: string, fileName?: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseYaml(text, { prettyErrors: true });
  } catch (err) {
    const message = err instanceof YAMLParseError ? err.message.split('\n')[0] ?? err.message : String(err);
    const line = err instanceof YAMLParseError ? err.linePos?.[0]?.line : undefined;
    const path = line === undefined ? '(root)' : `(line ${line})`;
    throw new ConfigError([{ path, message: `YAML: ${message}` }], { source: fileName, cause: err });
  }
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) {
    throw new ConfigError([{ path: '(root)', message: 'expected a YAML mapping at the top level' }], { source: fileName });
  }
  return value;
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Deep merge: mappings merge key by key, anything else (arrays included) replaces; an undefined
 * value in `over` leaves `base` as it is. Inputs are not modified.
 */
export function mergeConfig(base: unknown, over: unknown): unknown {
  if (over === undefined) return clone(base);
  if (!isPlainObject(base) || !isPlainObject(over)) return clone(over);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base)) if (!UNSAFE_KEYS.has(k)) out[k] = clone(v);
  for (const [k, v] of Object.entries(over)) {
    if (UNSAFE_KEYS.has(k) || v === undefined) continue;
    out[k] = mergeConfig(out[k], v);
  }
  return out;
}

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (isPlainObject(value)) return mergeConfig({}, value);
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** Freezes an object graph so resolved config cannot change after startup. */
export function deepFreeze<T>(value: T): Readonly<T> {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Sets `value` at `path` inside `target`, creating objects on the way; undefined values are skipped.
 * Flags become overrides in the config's own shape with this (e.g. ['modules', 'edgeHub', 'token']).
 */
export function setAtPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  if (value === undefined || path.length === 0) return;
  let cur = target;
  for (const key of path.slice(0, -1)) {
    const next = cur[key];
    cur = (typeof next === 'object' && next !== null ? next : (cur[key] = {})) as Record<string, unknown>;
  }
  cur[path[path.length - 1] as string] = value;
}
