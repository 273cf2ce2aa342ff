// Maps a request to what it asks for (pure). Paths are the core/v1 API server's:
//   /api/v1/namespaces/{ns}/{pods|configmaps|secrets|services|endpoints}[/{name}]
//   /api/v1/{pods|nodes}[/{name}]   (pods by name need a namespace, as in Kubernetes)
//   /api/v1/namespaces/{ns}/pods/{name}/status
//   /api/v1/namespaces/{ns}/events
// Every object here is the node's own: metamanager stores only what the cloud sent to this node.

export interface ResourceInfo {
  /** KubeEdge resource type in the store and on the wire. */
  type: string;
  kind: string;
  namespaced: boolean;
}

export const POD_RESOURCE: ResourceInfo = { type: 'pod', kind: 'Pod', namespaced: true };

export const RESOURCES: Readonly<Record<string, ResourceInfo>> = {
  pods: POD_RESOURCE,
  configmaps: { type: 'configmap', kind: 'ConfigMap', namespaced: true },
  secrets: { type: 'secret', kind: 'Secret', namespaced: true },
  services: { type: 'service', kind: 'Service', namespaced: true },
  endpoints: { type: 'endpoints', kind: 'Endpoints', namespaced: true },
  nodes: { type: 'node', kind: 'Node', namespaced: false },
};

export type Route =
  | { kind: 'get'; resource: ResourceInfo; namespace: string | null; name: string }
  | { kind: 'list'; resource: ResourceInfo; namespace: string | null }
  | { kind: 'patchPodStatus'; namespace: string; name: string }
  | { kind: 'createEvent'; namespace: string };

export type RouteMatch = { route: Route } | { error: 'NotFound' | 'MethodNotAllowed' };

export function matchRoute(method: string, pathname: string): RouteMatch {
  const parts = pathname.split('/').filter((p) => p !== '').map(decodeSegment);
  if (parts[0] !== 'api' || parts[1] !== 'v1' || parts.some((p) => p === undefined)) return { error: 'NotFound' };
  const rest = parts.slice(2) as string[];
  if (rest[0] === 'namespaces' && rest.length >= 3) return matchNamespaced(method, rest[1] as string, rest.slice(2));
  return matchClusterWide(method, rest);
}

function matchNamespaced(method: string, ns: string, rest: string[]): RouteMatch {
  const [plural, name, sub] = rest;
  if (plural === 'events' && rest.length === 1) {
    return method === 'POST' ? { route: { kind: 'createEvent', namespace: ns } } : { error: 'MethodNotAllowed' };
  }
  const resource = plural === undefined ? undefined : RESOURCES[plural];
  if (!resource || !resource.namespaced || rest.length > 3) return { error: 'NotFound' };
  if (sub !== undefined) {
    if (plural !== 'pods' || sub !== 'status') return { error: 'NotFound' };
    if (method === 'PATCH') return { route: { kind: 'patchPodStatus', namespace: ns, name: name as string } };
    return method === 'GET' ? { route: { kind: 'get', resource, namespace: ns, name: name as string } } : { error: 'MethodNotAllowed' };
  }
  if (method !== 'GET') return { error: 'MethodNotAllowed' };
  return { route: name === undefined ? { kind: 'list', resource, namespace: ns } : { kind: 'get', resource, namespace: ns, name } };
}

function matchClusterWide(method: string, rest: string[]): RouteMatch {
  const [plural, name] = rest;
  const resource = plural === undefined ? undefined : RESOURCES[plural];
  if (!resource || rest.length > 2) return { error: 'NotFound' };
  if (name !== undefined && resource.namespaced) return { error: 'NotFound' };
  if (plural !== 'pods' && plural !== 'nodes') return { error: 'NotFound' };
  if (method !== 'GET') return { error: 'MethodNotAllowed' };
  return { route: name === undefined ? { kind: 'list', resource, namespace: null } : { kind: 'get', resource, namespace: null, name } };
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
