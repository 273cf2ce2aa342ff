// Aggregated discovery (apidiscovery.k8s.io v2 and v2beta1): GET /api and /apis answered with every
// group, version and resource in one APIGroupDiscoveryList when the client's Accept asks for it.
// kubectl 1.30+ asks for v2 first, 1.29 for v2beta1; client-go only trusts the answer when the
// response Content-Type names the same g/v/as, so send discoveryContentType(version) with it.
import type { ResourceDef } from '../registry/types.js';
import type { GroupInfo } from './discovery.js';
import { defsInGroupVersion } from './served-defs.js';
import { subresourcesOf } from './subresources.js';

export type DiscoveryVersion = 'v2' | 'v2beta1';

/** What a discovery request's Accept header asks for: one of the aggregated forms, or the legacy documents. */
export type DiscoveryFormat = DiscoveryVersion | 'legacy';

export function discoveryContentType(version: DiscoveryVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

/**
 * Picks the first media range of `accept` we can serve, in the client's order (client-go lists its
 * preference first). JSON ranges naming APIGroupDiscoveryList give the aggregated form; plain JSON,
 * wildcards or no header give the legacy documents.
 */
export function negotiateDiscovery(accept: string | undefined): DiscoveryFormat {
  if (!accept) return 'legacy';
  for (const range of accept.split(',')) {
    const [base = '', ...paramList] = range.split(';').map((part) => part.trim());
    const params = new Map(paramList.map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? [p.toLowerCase(), ''] as const : [p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim()] as const;
    }));
    if (params.get('q') === '0') continue;
    const type = base.toLowerCase();
    if (type !== 'application/json' && type !== 'application/*' && type !== '*/*') continue;
    if (!params.has('as')) return 'legacy';
    const version = params.get('v');
    if (params.get('g') === 'apidiscovery.k8s.io' && params.get('as') === 'APIGroupDiscoveryList' && (version === 'v2' || version === 'v2beta1')) {
      return version;
    }
  }
  return 'legacy';
}

function resourceDiscovery(def: ResourceDef, version: string): Record<string, unknown> {
  const subresources = subresourcesOf(def).map((sub) => ({
    subresource: sub.name,
    responseKind: { group: sub.group ?? def.group, version: sub.version ?? version, kind: sub.kind },
    verbs: sub.verbs,
  }));
  return {
    resource: def.resource,
    responseKind: { group: def.group, version, kind: def.kind },
    scope: def.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: def.singular,
    verbs: def.verbs,
    ...(def.shortNames.length > 0 ? { shortNames: def.shortNames } : {}),
    ...(def.categories.length > 0 ? { categories: def.categories } : {}),
    ...(subresources.length > 0 ? { subresources } : {}),
  };
}

function versionDiscovery(group: string, version: string, defs: ResourceDef[]): Record<string, unknown> {
  const gv = group ? `${group}/${version}` : version;
  return { version, resources: defsInGroupVersion(gv, defs).map((def) => resourceDiscovery(def, version)), freshness: 'Current' };
}

function orderedVersions(group: GroupInfo): string[] {
  return [group.preferredVersion, ...group.versions.filter((v) => v !== group.preferredVersion)];
}

/**
 * The APIGroupDiscoveryList for GET /api ('core': the legacy group, version v1) or GET /apis
 * ('apis': one item per group in the given order, preferred version first).
 */
export function aggregatedDiscovery(kind: 'core' | 'apis', groups: GroupInfo[], defs: ResourceDef[], version: DiscoveryVersion = 'v2'): object {
  const items = kind === 'core'
    ? [{ metadata: { creationTimestamp: null }, versions: [versionDiscovery('', 'v1', defs)] }]
    : groups.filter((g) => g.name !== '').map((g) => ({
      metadata: { name: g.name, creationTimestamp: null },
      versions: orderedVersions(g).map((v) => versionDiscovery(g.name, v, defs)),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}
