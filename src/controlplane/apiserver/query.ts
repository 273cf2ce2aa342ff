// Query parameters of resource requests → ObjectAPI options. Bad values are 400s, as in kube-apiserver.
import { errors } from '../errors.js';
import type { DeleteOptions, ListOptions, PropagationPolicy, WatchOptions } from '../objects/index.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function bool(q: URLSearchParams, key: string): boolean | undefined {
  const v = q.get(key);
  if (v === null) return undefined;
  if (v === 'true' || v === '1' || v === '') return true;
  if (v === 'false' || v === '0') return false;
  throw errors.badRequest(`invalid value for ${key}: "${v}" (expected true or false)`);
}

function int(q: URLSearchParams, key: string, min = 0): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw errors.badRequest(`invalid value for ${key}: "${v}" (expected an integer >= ${min})`);
  return n;
}

function str(q: URLSearchParams, key: string): string | undefined {
  const v = q.get(key);
  return v === null || v === '' ? undefined : v;
}

/** ?dryRun=All (the only value Kubernetes defines). */
export function dryRunOf(q: URLSearchParams): boolean {
  const values = q.getAll('dryRun');
  if (values.length === 0) return false;
  for (const v of values) {
    if (v !== 'All') throw errors.badRequest(`invalid dry run value: "${v}" (only "All" is supported)`);
  }
  return true;
}

export function listOptionsOf(q: URLSearchParams, namespace: string): ListOptions {
  const o: ListOptions = {};
  if (namespace) o.namespace = namespace;
  const labelSelector = str(q, 'labelSelector');
  const fieldSelector = str(q, 'fieldSelector');
  const limit = int(q, 'limit');
  const cont = str(q, 'continue');
  const rv = str(q, 'resourceVersion');
  if (labelSelector !== undefined) o.labelSelector = labelSelector;
  if (fieldSelector !== undefined) o.fieldSelector = fieldSelector;
  if (limit !== undefined && limit > 0) o.limit = limit;
  if (cont !== undefined) o.continue = cont;
  if (rv !== undefined) o.resourceVersion = rv;
  const match = str(q, 'resourceVersionMatch');
  if (match !== undefined && match !== 'NotOlderThan' && match !== 'Exact') {
    throw errors.badRequest(`invalid resourceVersionMatch: "${match}" (expected NotOlderThan or Exact)`);
  }
  return o;
}

/** Watch options; a watch on a named object (`.../pods/<name>?watch=1`) selects that name. */
export function watchOptionsOf(q: URLSearchParams, namespace: string, name: string): WatchOptions {
  const o: WatchOptions = {};
  if (namespace) o.namespace = namespace;
  const labelSelector = str(q, 'labelSelector');
  let fieldSelector = str(q, 'fieldSelector');
  if (name) fieldSelector = fieldSelector ? `metadata.name=${name},${fieldSelector}` : `metadata.name=${name}`;
  const rv = str(q, 'resourceVersion');
  const bookmarks = bool(q, 'allowWatchBookmarks');
  const initial = bool(q, 'sendInitialEvents');
  if (labelSelector !== undefined) o.labelSelector = labelSelector;
  if (fieldSelector !== undefined) o.fieldSelector = fieldSelector;
  if (rv !== undefined) o.resourceVersion = rv;
  if (bookmarks !== undefined) o.allowWatchBookmarks = bookmarks;
  if (initial !== undefined) o.sendInitialEvents = initial;
  return o;
}

/** ?timeoutSeconds for watches, in ms; undefined (or 0, as in kube-apiserver) = the server's default. */
export function watchTimeoutMs(q: URLSearchParams): number | undefined {
  const s = int(q, 'timeoutSeconds');
  return s === undefined || s === 0 ? undefined : s * 1000;
}

export function includeObjectOf(q: URLSearchParams): IncludeObject | undefined {
  const v = str(q, 'includeObject');
  if (v === undefined) return undefined;
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw errors.badRequest(`invalid includeObject: "${v}" (expected None, Metadata or Object)`);
}

const policies: readonly string[] = ['Orphan', 'Background', 'Foreground'];

function policyOf(v: unknown): PropagationPolicy {
  if (typeof v === 'string' && policies.includes(v)) return v as PropagationPolicy;
  throw errors.badRequest(`invalid propagationPolicy: ${JSON.stringify(v)} (expected Orphan, Background or Foreground)`);
}

/** DeleteOptions from the query, then overridden by the body (kube-apiserver reads both, body last). */
export function deleteOptionsOf(q: URLSearchParams, body: Record<string, unknown> | undefined): DeleteOptions {
  const o: DeleteOptions = {};
  const grace = int(q, 'gracePeriodSeconds');
  if (grace !== undefined) o.gracePeriodSeconds = grace;
  const policy = str(q, 'propagationPolicy');
  if (policy !== undefined) o.propagationPolicy = policyOf(policy);
  if (bool(q, 'orphanDependents') === true) o.propagationPolicy = 'Orphan';
  if (dryRunOf(q)) o.dryRun = true;
  if (body) applyDeleteBody(o, body);
  return o;
}

function applyDeleteBody(o: DeleteOptions, body: Record<string, unknown>): void {
  const grace = body['gracePeriodSeconds'];
  if (grace !== undefined && grace !== null) {
    if (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0) throw errors.badRequest('invalid gracePeriodSeconds: expected an integer >= 0');
    o.gracePeriodSeconds = grace;
  }
  if (body['propagationPolicy'] !== undefined && body['propagationPolicy'] !== null) o.propagationPolicy = policyOf(body['propagationPolicy']);
  if (body['orphanDependents'] === true) o.propagationPolicy = 'Orphan';
  const dryRun = body['dryRun'];
  if (Array.isArray(dryRun) && dryRun.length > 0) {
    if (dryRun.some((v) => v !== 'All')) throw errors.badRequest('invalid dry run value (only "All" is supported)');
    o.dryRun = true;
  }
  const pre = body['preconditions'];
  if (typeof pre === 'object' && pre !== null) {
    const { uid, resourceVersion } = pre as Record<string, unknown>;
    o.preconditions = {
      ...(typeof uid === 'string' ? { uid } : {}),
      ...(typeof resourceVersion === 'string' ? { resourceVersion } : {}),
    };
  }
}
