// Legacy discovery documents: GET /api, /apis, /apis/<group>, /api/v1 and /apis/<group>/<version>,
// in the JSON shapes of meta/v1 APIVersions, APIGroupList, APIGroup and APIResourceList.
import { createHash } from 'node:crypto';
import type { ResourceDef } from '../registry/types.js';
import { defsInGroupVersion } from './served-defs.js';
import { subresourcesOf } from './subresources.js';

export interface GroupInfo {
  name: string;
  /** Served versions, most preferred first. */
  versions: string[];
  preferredVersion: string;
}

/** GET /api */
export function coreApiVersions(serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupBody(group: GroupInfo): object {
  const entry = (version: string) => ({ groupVersion: `${group.name}/${version}`, version });
  const versions = [group.preferredVersion, ...group.versions.filter((v) => v !== group.preferredVersion)];
  return { name: group.name, versions: versions.map(entry), preferredVersion: entry(group.preferredVersion) };
}

/** GET /apis */
export function apiGroupList(groups: GroupInfo[]): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(groupBody) };
}

/** GET /apis/<group> */
export function apiGroup(group: GroupInfo): object {
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupBody(group) };
}

/**
 * The storage version hash kube-apiserver reports: base64 of the first 8 bytes of
 * sha256("<group>/<version>/<kind>"). Clients only compare it for changes.
 */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}

function apiResource(def: ResourceDef): Record<string, unknown> {
  return {
    name: def.resource,
    singularName: def.singular,
    namespaced: def.namespaced,
    kind: def.kind,
    verbs: def.verbs,
    ...(def.shortNames.length > 0 ? { shortNames: def.shortNames } : {}),
    ...(def.categories.length > 0 ? { categories: def.categories } : {}),
    storageVersionHash: storageVersionHash(def.group, def.version, def.kind),
  };
}

/** GET /api/v1 and /apis/<group>/<version>: resources first, each followed by its subresources. */
export function apiResourceList(groupVersion: string, defs: ResourceDef[]): object {
  const resources: Record<string, unknown>[] = [];
  for (const def of defsInGroupVersion(groupVersion, defs)) {
    resources.push(apiResource(def));
    for (const sub of subresourcesOf(def)) {
      resources.push({
        name: `${def.resource}/${sub.name}`,
        singularName: '',
        namespaced: def.namespaced,
        ...(sub.group !== undefined ? { group: sub.group, version: sub.version } : {}),
        kind: sub.kind,
        verbs: sub.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}
