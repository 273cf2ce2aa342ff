// What a read asks for besides its path (pure): the representation (Accept) and the list/watch
// query options kube-apiserver understands (labelSelector, fieldSelector, watch, resourceVersion,
// timeoutSeconds, allowWatchBookmarks, sendInitialEvents, includeObject). limit/continue are
// accepted and ignored: a node's lists are small, so everything comes in one page.
import { ApiError } from './api-error.js';

export type ObjectFormat = { kind: 'json' } | { kind: 'table'; version: 'v1' | 'v1beta1' };
export type IncludeObject = 'None' | 'Metadata' | 'Object';

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(accept: string | undefined): MediaRange[] {
  if (!accept) return [];
  return accept.split(',').map((part) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim());
    const p: Record<string, string> = {};
    for (const kv of params) {
      const i = kv.indexOf('=');
      if (i > 0) p[kv.slice(0, i).toLowerCase()] = kv.slice(i + 1).replace(/^"|"$/g, '');
    }
    return { type: type.toLowerCase(), params: p };
  }).filter((r) => r.type !== '');
}

const plainJson = (r: MediaRange): boolean =>
  (r.type === 'application/json' && r.params['as'] === undefined) || r.type === '*/*' || r.type === 'application/*';

/**
 * The first acceptable range wins, as in kube-apiserver: plain JSON, or a meta.k8s.io Table (what
 * `kubectl get` asks first). Only protobuf or other kinds: 406.
 */
export function negotiateFormat(accept: string | undefined, tableAllowed = true): ObjectFormat {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return { kind: 'json' };
  for (const r of ranges) {
    if (plainJson(r)) return { kind: 'json' };
    const v = r.params['v'];
    if (tableAllowed && r.type === 'application/json' && r.params['as'] === 'Table' && r.params['g'] === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1')) {
      return { kind: 'table', version: v };
    }
  }
  throw new ApiError('NotAcceptable', 'only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io');
}

export interface ReadOptions {
  labelSelector: string;
  fieldSelector: string;
  watch: boolean;
  /** '' when absent. */
  resourceVersion: string;
  /** undefined: the server's default. */
  timeoutSeconds: number | undefined;
  allowWatchBookmarks: boolean;
  sendInitialEvents: boolean;
  includeObject: IncludeObject | undefined;
}

/** Go's strconv.ParseBool, as the API server reads boolean query parameters. */
function parseBool(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  if (v === null || v === '') return false;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  throw new ApiError('BadRequest', `invalid value for ${name}: "${v}"`);
}

export function parseReadOptions(query: URLSearchParams): ReadOptions {
  const t = query.get('timeoutSeconds');
  if (t !== null && t !== '' && !/^\d{1,9}$/.test(t)) throw new ApiError('BadRequest', `invalid value for timeoutSeconds: "${t}"`);
  const inc = query.get('includeObject');
  if (inc !== null && inc !== '' && inc !== 'None' && inc !== 'Metadata' && inc !== 'Object') {
    throw new ApiError('BadRequest', `invalid value for includeObject: "${inc}"`);
  }
  return {
    labelSelector: query.get('labelSelector') ?? '',
    fieldSelector: query.get('fieldSelector') ?? '',
    watch: parseBool(query, 'watch'),
    resourceVersion: query.get('resourceVersion') ?? '',
    timeoutSeconds: t === null || t === '' ? undefined : Number(t),
    allowWatchBookmarks: parseBool(query, 'allowWatchBookmarks'),
    sendInitialEvents: parseBool(query, 'sendInitialEvents'),
    includeObject: inc === null || inc === '' ? undefined : inc,
  };
}
