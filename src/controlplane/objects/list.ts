// LIST: namespace, label and field selectors, and pagination with opaque continue tokens. A token
// carries the revision of the first page and the last key served; later pages read the current state
// after that key (SQLite keeps no snapshots), and report the first page's revision so that a watch
// started from it replays whatever changed meanwhile. A token older than the watch history is 410.
import type { KubeList, KubeObject } from '../../api/index.js';
import { errors } from '../errors.js';
import { compileObjectFilter, matchLabels, parseLabelSelector } from '../selectors/index.js';
import type { StorePrefilter } from '../storage/index.js';
import type { Env } from './env.js';
import { record } from './object-meta.js';
import { present, type Resolved } from './resolve.js';
import type { ListOptions } from './types.js';

export type ObjectFilter = (obj: KubeObject) => boolean;

interface ContinueToken {
  /** Revision of the first page. */
  rv: number;
  /** Namespace and name of the last object served. */
  ns: string;
  name: string;
}

const tokenVersion = 'meta.k8s.io/v1';

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: tokenVersion, ...token })).toString('base64url');
}

export function decodeContinue(text: string): ContinueToken {
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = record(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.v !== tokenVersion || typeof parsed.rv !== 'number' || typeof parsed.ns !== 'string' || typeof parsed.name !== 'string') {
    throw errors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  return { rv: parsed.rv, ns: parsed.ns, name: parsed.name };
}

/** undefined when nothing is selected on (every object matches). Throws 400 for a malformed selector. */
export function compileFilter(r: Resolved, options: { labelSelector?: string | undefined; fieldSelector?: string | undefined }): ObjectFilter | undefined {
  const labelSelector = options.labelSelector?.trim() ?? '';
  const fieldSelector = options.fieldSelector?.trim() ?? '';
  if (!labelSelector && !fieldSelector) return undefined;
  return compileObjectFilter({
    ...(labelSelector ? { labelSelector } : {}),
    ...(fieldSelector ? { fieldSelector } : {}),
    ...(r.def.selectableFields ? { fields: r.def.selectableFields } : {}),
    kind: r.def.kind,
  });
}

/** The label part of a selector as a storage prefilter (see Store.list). */
function labelPrefilter(labelSelector: string): StorePrefilter {
  const reqs = parseLabelSelector(labelSelector);
  return { labels: (labels) => matchLabels(reqs, labels) };
}

/** The namespace to read: undefined = all namespaces (also for cluster-scoped kinds). */
export function readNamespace(r: Resolved, namespace: string | undefined): string | undefined {
  return r.def.namespaced && namespace ? namespace : undefined;
}

const after = (obj: KubeObject, token: ContinueToken): boolean => {
  const ns = obj.metadata.namespace ?? '';
  const name = obj.metadata.name ?? '';
  return ns > token.ns || (ns === token.ns && name > token.name);
};

export function listObjects(env: Env, r: Resolved, options: ListOptions = {}): KubeList {
  const filter = compileFilter(r, options);
  const token = options.continue ? decodeContinue(options.continue) : undefined;
  if (token && token.rv < env.store.oldestWatchableRevision()) {
    throw errors.gone('The provided continue parameter is too old to display a consistent list result. ' +
      'You can start a new list without the continue parameter.');
  }
  const labelSelector = options.labelSelector?.trim();
  const prefilter = labelSelector ? labelPrefilter(labelSelector) : undefined;
  const { items, revision } = env.store.list(r.key, readNamespace(r, options.namespace), prefilter);
  const limit = options.limit !== undefined && options.limit > 0 ? Math.floor(options.limit) : Infinity;
  const out: KubeObject[] = [];
  let index = token ? items.findIndex((o) => after(o, token)) : 0;
  if (index < 0) index = items.length;
  let more = false;
  for (; index < items.length; index++) {
    const item = items[index] as KubeObject;
    if (filter && !filter(item)) continue;
    if (out.length >= limit) {
      more = true;
      break;
    }
    out.push(present(r, item));
  }
  const listRevision = token?.rv ?? revision;
  const metadata: KubeList['metadata'] = { resourceVersion: String(listRevision) };
  const last = out[out.length - 1];
  if (more && last) {
    metadata.continue = encodeContinue({ rv: listRevision, ns: last.metadata.namespace ?? '', name: last.metadata.name ?? '' });
    // Like kube-apiserver, the count is only given when no selector filters the rest.
    if (!filter) metadata.remainingItemCount = items.length - index;
  }
  return { apiVersion: r.apiVersion, kind: r.def.listKind, metadata, items: out };
}
