// Maps a request to what it asks for (pure). Paths are kube-apiserver's:
//   /version, /api, /api/v1, /apis, /apis/{group}, /apis/{group}/{version}      discovery
//   {prefix}[/watch]/namespaces/{ns}/{plural}[/{name}]                          namespaced
//   {prefix}[/watch]/{plural}[/{name}]          all namespaces (lists), or cluster-scoped objects
//   /api/v1/namespaces/{ns}/pods/{name}/status                                 GET, PATCH
//   /api/v1/namespaces/{ns}/events                                             POST
// where {prefix} is /api/v1 or /apis/{group}/{version}. Every object here is the node's own:
// metamanager stores only what the cloud sent to this node.
import type { ResourceInfo } from './resources.js';

export type Route =
  | { kind: 'version' }
  | { kind: 'apiVersions' }
  | { kind: 'apiGroupList' }
  | { kind: 'apiGroup'; group: string }
  | { kind: 'apiResources'; group: string; version: string }
  | { kind: 'get'; resource: ResourceInfo; namespace: string | null; name: string }
  /** `watch` from the /watch/ path prefix (?watch=1 is a query option, read by the server). */
  | { kind: 'list'; resource: ResourceInfo; namespace: string | null; watch: boolean; name?: string }
  | { kind: 'patchPodStatus'; namespace: string; name: string }
  | { kind: 'createEvent'; namespace: string };

export type RouteMatch = { route: Route } | { error: 'NotFound' | 'MethodNotAllowed' };

const notFound: RouteMatch = { error: 'NotFound' };
const notAllowed: RouteMatch = { error: 'MethodNotAllowed' };

export function matchRoute(method: string, pathname: string, resources: readonly ResourceInfo[]): RouteMatch {
  const decoded = pathname.split('/').filter((p) => p !== '').map(decodeSegment);
  if (decoded.some((p) => p === undefined)) return notFound;
  const parts = decoded as string[];
  const read = (route: Route): RouteMatch => (method === 'GET' ? { route } : notAllowed);
  if (parts.length === 1 && parts[0] === 'version') return read({ kind: 'version' });
  if (parts[0] === 'api') {
    if (parts.length === 1) return read({ kind: 'apiVersions' });
    if (parts[1] !== 'v1') return notFound;
    if (parts.length === 2) return read({ kind: 'apiResources', group: '', version: 'v1' });
    return matchResource(method, '', 'v1', parts.slice(2), resources);
  }
  if (parts[0] === 'apis') {
    if (parts.length === 1) return read({ kind: 'apiGroupList' });
    const group = parts[1] as string;
    if (!resources.some((r) => r.group === group)) return notFound;
    if (parts.length === 2) return read({ kind: 'apiGroup', group });
    const version = parts[2] as string;
    if (!resources.some((r) => r.group === group && r.version === version)) return notFound;
    if (parts.length === 3) return read({ kind: 'apiResources', group, version });
    return matchResource(method, group, version, parts.slice(3), resources);
  }
  return notFound;
}

function matchResource(method: string, group: string, version: string, path: string[], resources: readonly ResourceInfo[]): RouteMatch {
  const watch = path[0] === 'watch';
  const rest = watch ? path.slice(1) : path;
  const find = (plural: string | undefined) => resources.find((r) => r.group === group && r.version === version && r.plural === plural);
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const ns = rest[1] as string;
    const [plural, name, sub] = rest.slice(2);
    if (group === '' && plural === 'events' && rest.length === 3 && !watch) {
      return method === 'POST' ? { route: { kind: 'createEvent', namespace: ns } } : notAllowed;
    }
    const resource = find(plural);
    if (!resource || !resource.namespaced || rest.length > 5) return notFound;
    if (sub !== undefined) {
      if (watch || resource.type !== 'pod' || sub !== 'status') return notFound;
      if (method === 'PATCH') return { route: { kind: 'patchPodStatus', namespace: ns, name: name as string } };
      return method === 'GET' ? { route: { kind: 'get', resource, namespace: ns, name: name as string } } : notAllowed;
    }
    return readResource(method, resource, ns, name, watch);
  }
  const [plural, name] = rest;
  const resource = find(plural);
  if (!resource || rest.length > 2) return notFound;
  // A namespaced object by name needs its namespace, as in Kubernetes.
  if (name !== undefined && resource.namespaced) return notFound;
  return readResource(method, resource, null, name, watch);
}

function readResource(method: string, resource: ResourceInfo, namespace: string | null, name: string | undefined, watch: boolean): RouteMatch {
  if (method !== 'GET') return notAllowed;
  if (name === undefined) return { route: { kind: 'list', resource, namespace, watch } };
  return { route: watch ? { kind: 'list', resource, namespace, watch, name } : { kind: 'get', resource, namespace, name } };
}

/** A path segment decoded; undefined for malformed escapes or a "/" hidden in an escape. */
function decodeSegment(s: string): string | undefined {
  try {
    const d = decodeURIComponent(s);
    return d.includes('/') || d === '' ? undefined : d;
  } catch {
    return undefined;
  }
}
