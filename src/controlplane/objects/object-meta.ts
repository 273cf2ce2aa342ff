// Small readers and writers of ObjectMeta and JSON values shared by the operations.
import { randomInt } from 'node:crypto';
import type { KubeObject } from '../../api/index.js';

/** Kubernetes timestamps: RFC 3339, whole seconds, UTC. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The alphabet of Kubernetes' name generator: no vowels (no accidental words) and no look-alikes. */
const generatedNameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';
const randomSuffixLength = 5;
/** 63 (the usual name limit) minus the suffix. */
const maxGeneratedPrefixLength = 58;

export function generateName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < randomSuffixLength; i++) suffix += generatedNameAlphabet[randomInt(generatedNameAlphabet.length)];
  return prefix.slice(0, maxGeneratedPrefixLength) + suffix;
}

export function finalizersOf(obj: KubeObject): string[] {
  const f = obj.metadata.finalizers;
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : [];
}

export function setFinalizers(obj: KubeObject, finalizers: string[]): void {
  if (finalizers.length > 0) obj.metadata.finalizers = finalizers;
  else delete obj.metadata.finalizers;
}

export function isTerminating(obj: KubeObject): boolean {
  return typeof obj.metadata.deletionTimestamp === 'string' && obj.metadata.deletionTimestamp !== '';
}

export function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/** Copies (or removes) one metadata field from `from` to `to`. */
export function carryMeta(to: KubeObject, from: KubeObject, field: string): void {
  const value = from.metadata[field];
  if (value === undefined) delete to.metadata[field];
  else to.metadata[field] = cloneJson(value);
}

/** Copies (or removes) one top-level field. */
export function carryField(to: KubeObject, from: KubeObject, field: string): void {
  const value = from[field];
  if (value === undefined) delete to[field];
  else to[field] = cloneJson(value);
}

/** managedFields timestamps move on every write; they alone do not make an update. */
const withoutVolatile = (obj: KubeObject): unknown => {
  const { resourceVersion: _rv, managedFields, ...meta } = obj.metadata;
  if (!Array.isArray(managedFields)) return { ...obj, metadata: meta };
  const fields = managedFields.map((e) => {
    const { time: _time, ...rest } = record(e) ?? {};
    return rest;
  });
  return { ...obj, metadata: { ...meta, managedFields: fields } };
};

/** Whether an update would store nothing new: Kubernetes skips such writes and keeps the resourceVersion. */
export function sameContent(a: KubeObject, b: KubeObject): boolean {
  return jsonEqual(withoutVolatile(a), withoutVolatile(b));
}

/** Generation counts changes of the desired state: everything but metadata and status. */
export function specChanged(old: KubeObject, next: KubeObject): boolean {
  const strip = ({ metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest }: KubeObject): unknown => rest;
  return !jsonEqual(strip(old), strip(next));
}

export function parseRevision(resourceVersion: unknown): number | undefined {
  if (typeof resourceVersion !== 'string' || !/^\d+$/.test(resourceVersion)) return undefined;
  const n = Number(resourceVersion);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Equality of JSON values, where a key holding undefined counts as absent (as after serialisation). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  const x = record(a);
  const y = record(b);
  if (!x || !y) return false;
  const keys = (o: Record<string, unknown>): string[] => Object.keys(o).filter((k) => o[k] !== undefined);
  const kx = keys(x);
  if (kx.length !== keys(y).length) return false;
  return kx.every((k) => jsonEqual(x[k], y[k]));
}
