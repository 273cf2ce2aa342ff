// Which ResourceDefs a group-version serves, in the stable order every document lists them in.
import type { ResourceDef } from '../registry/types.js';
import { parseGroupVersion } from './schema-names.js';

export function servedVersions(def: Pick<ResourceDef, 'version' | 'versions'>): string[] {
  return def.versions.length > 0 ? def.versions : [def.version];
}

/** The defs served in `groupVersion` ('v1', 'apps/v1'), sorted by resource name. */
export function defsInGroupVersion(groupVersion: string, defs: ResourceDef[]): ResourceDef[] {
  const { group, version } = parseGroupVersion(groupVersion);
  return defs
    .filter((def) => def.group === group && servedVersions(def).includes(version))
    .sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));
}
