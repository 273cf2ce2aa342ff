// Turns a URL path into what it names, the way kube-apiserver's RequestInfoFactory does: discovery
// paths, resource paths (`/api/v1/...`, `/apis/<g>/<v>/...`) with namespace, name and subresource, and
// everything else as a non-resource path. Pure: no catalog lookups here.

export type Verb =
  | 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection' | 'connect';

export interface ResourcePath {
  kind: 'resource';
  /** '' for the core group (`/api/v1`). */
  group: string;
  version: string;
  resource: string;
  /** Set for `/namespaces/<ns>/<resource>...` paths; '' otherwise. */
  namespace: string;
  name: string;
  subresource: string;
  /** The legacy `/watch/` path segment (`/api/v1/watch/pods`). */
  watchPrefix: boolean;
}

export type DiscoveryPath =
  | { kind: 'api-versions' }
  | { kind: 'api-groups' }
  | { kind: 'api-group'; group: string }
  | { kind: 'api-resources'; group: string; version: string };

export type ParsedPath = ResourcePath | DiscoveryPath | { kind: 'other' } | { kind: 'invalid' };

/** Subresources of a Namespace object itself: `/api/v1/namespaces/<name>/status|finalize`. */
const namespaceSubresources = new Set(['status', 'finalize']);

export function parsePath(pathname: string): ParsedPath {
  const parts = splitPath(pathname);
  if (parts === undefined) return { kind: 'invalid' };
  if (parts.some((p) => p === '')) return { kind: 'other' };
  if (parts[0] === 'api') {
    const version = parts[1];
    if (version === undefined) return { kind: 'api-versions' };
    if (parts.length === 2) return { kind: 'api-resources', group: '', version };
    return resourcePath('', version, parts.slice(2));
  }
  if (parts[0] === 'apis') {
    const group = parts[1];
    const version = parts[2];
    if (group === undefined) return { kind: 'api-groups' };
    if (version === undefined) return { kind: 'api-group', group };
    if (parts.length === 3) return { kind: 'api-resources', group, version };
    return resourcePath(group, version, parts.slice(3));
  }
  return { kind: 'other' };
}

/** Splits and percent-decodes the segments; a trailing slash is ignored. undefined = malformed. */
function splitPath(pathname: string): string[] | undefined {
  const raw = pathname.split('/').filter((s, i, all) => !(s === '' && (i === 0 || i === all.length - 1)));
  try {
    return raw.map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

function resourcePath(group: string, version: string, rest: string[]): ParsedPath {
  let parts = rest;
  const watchPrefix = parts[0] === 'watch';
  if (watchPrefix) parts = parts.slice(1);
  let namespace = '';
  // `/namespaces/<ns>/<resource>...` is namespaced, except the Namespace's own subresources.
  const third = parts[2];
  if (parts[0] === 'namespaces' && third !== undefined && !namespaceSubresources.has(third)) {
    namespace = parts[1] ?? '';
    parts = parts.slice(2);
  }
  const [resource, name = '', subresource = '', ...extra] = parts;
  // Proxy-style paths (`pods/<name>/proxy/...`) are not served.
  if (!resource || extra.length > 0) return { kind: 'other' };
  return { kind: 'resource', group, version, resource, namespace, name, subresource, watchPrefix };
}

/** Whether a GET is a watch: `?watch=true|1` or the legacy `/watch/` prefix. */
export function isWatch(path: ResourcePath, query: URLSearchParams): boolean {
  if (path.watchPrefix) return true;
  const w = query.get('watch');
  return w === 'true' || w === '1';
}

/** The Kubernetes verb of a request, or undefined when the method makes no sense for the path. */
export function verbOf(method: string, path: ResourcePath, watch: boolean): Verb | undefined {
  const named = path.name !== '';
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watch) return 'watch';
      return named ? 'get' : 'list';
    case 'POST':
      return named ? (path.subresource ? 'create' : undefined) : 'create';
    case 'PUT':
      return named ? 'update' : undefined;
    case 'PATCH':
      return named ? 'patch' : undefined;
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}
