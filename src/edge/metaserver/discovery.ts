// Discovery documents (pure): /version, /api, /api/v1, /apis, /apis/<group>, /apis/<group>/<version>.
// Only the legacy (unaggregated) forms: kubectl 1.30+ asks for aggregated discovery first and falls
// back to these when the answer's Content-Type is plain application/json (checked with the real kubectl).
import { createHash } from 'node:crypto';
import { READ_VERBS, apiVersionOf, type ResourceInfo } from './resources.js';

/** /usr/bin/kubectl picks its own minor version from this; 1.31 like the embedded control plane. */
export function versionInfo(): Record<string, string> {
  return {
    major: '1', minor: '31', gitVersion: 'v1.31.0+kubeedge-ts', gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean', buildDate: '2025-01-01T00:00:00Z', goVersion: `node${process.versions.node}`, compiler: 'gc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

export function apiVersions(serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

/** The named groups (the core group is served under /api). */
export function groupsOf(resources: readonly ResourceInfo[]): { name: string; version: string }[] {
  const seen = new Map<string, string>();
  for (const r of resources) if (r.group && !seen.has(r.group)) seen.set(r.group, r.version);
  return [...seen].map(([name, version]) => ({ name, version }));
}

function groupBody(g: { name: string; version: string }): object {
  const v = { groupVersion: `${g.name}/${g.version}`, version: g.version };
  return { name: g.name, versions: [v], preferredVersion: v };
}

export function apiGroupList(resources: readonly ResourceInfo[]): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groupsOf(resources).map(groupBody) };
}

export function apiGroup(resources: readonly ResourceInfo[], group: string): object | undefined {
  const g = groupsOf(resources).find((x) => x.name === group);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...groupBody(g) } : undefined;
}

/** kube-apiserver's storageVersionHash: base64 of 8 bytes of sha256("<group>/<version>/<kind>"). */
function storageVersionHash(r: ResourceInfo): string {
  return createHash('sha256').update(`${r.group}/${r.version}/${r.kind}`).digest().subarray(0, 8).toString('base64');
}

/**
 * APIResourceList of one group version. Reads everywhere; the node's two writes are advertised where
 * they exist: pods/status (get, patch) and events (create).
 */
export function apiResourceList(resources: readonly ResourceInfo[], group: string, version: string): object | undefined {
  const inGv = resources.filter((r) => r.group === group && r.version === version);
  if (inGv.length === 0) return undefined;
  const out: Record<string, unknown>[] = [];
  for (const r of inGv) {
    out.push({
      name: r.plural, singularName: r.def.singular, namespaced: r.namespaced, kind: r.kind, verbs: [...READ_VERBS],
      ...(r.def.shortNames.length > 0 ? { shortNames: r.def.shortNames } : {}),
      ...(r.def.categories.length > 0 ? { categories: r.def.categories } : {}),
      storageVersionHash: storageVersionHash(r),
    });
    if (r.type === 'pod') out.push({ name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch'] });
  }
  if (group === '') out.push({ name: 'events', singularName: 'event', namespaced: true, kind: 'Event', verbs: ['create'], shortNames: ['ev'] });
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources: out };
}
