// The resources the metaserver serves, with what discovery, tables and field selectors need. Table
// columns and selectable fields of the core kinds come from the control plane's registry, so `kubectl
// get` against the node prints exactly what it prints against the cloud.
import { builtinResources, type ResourceDef } from '../../controlplane/registry/index.js';

export interface ResourceInfo {
  /** KubeEdge resource type in the store and on the wire. */
  type: string;
  kind: string;
  namespaced: boolean;
  /** '' for core/v1. */
  group: string;
  version: string;
  /** Plural, lower case, as in URLs and discovery. */
  plural: string;
  /** Columns and selectable fields (built-in def for core kinds). */
  def: ResourceDef;
}

/** Read-only on the node: what discovery advertises for every served resource. */
export const READ_VERBS = ['get', 'list', 'watch'] as const;

export const DEVICES_GROUP = 'devices.kubeedge.io';
export const DEVICES_VERSION = 'v1beta1';

/** A custom resource without printer columns (KubeEdge's device CRDs have none): NAME and AGE. */
function customDef(plural: string, singular: string, kind: string): ResourceDef {
  return {
    group: DEVICES_GROUP, version: DEVICES_VERSION, versions: [DEVICES_VERSION], resource: plural, singular, kind,
    listKind: `${kind}List`, namespaced: true, shortNames: [], categories: [], verbs: [...READ_VERBS], subresources: {},
    strategicMerge: false, columns: [],
  };
}

const CORE: readonly { plural: string; type: string }[] = [
  { plural: 'pods', type: 'pod' },
  { plural: 'configmaps', type: 'configmap' },
  { plural: 'secrets', type: 'secret' },
  { plural: 'services', type: 'service' },
  { plural: 'endpoints', type: 'endpoints' },
  { plural: 'nodes', type: 'node' },
];

/** Every served resource, built once per server (no module state). */
export function servedResources(): ResourceInfo[] {
  const builtins = builtinResources().filter((d) => d.group === '');
  const core = CORE.map(({ plural, type }): ResourceInfo => {
    const def = builtins.find((d) => d.resource === plural);
    if (!def) throw new Error(`the control plane registry lacks core resource ${plural}`);
    return { type, kind: def.kind, namespaced: def.namespaced, group: '', version: 'v1', plural, def };
  });
  const devices = [
    { type: 'device', def: customDef('devices', 'device', 'Device') },
    { type: 'devicemodel', def: customDef('devicemodels', 'devicemodel', 'DeviceModel') },
  ].map(({ type, def }): ResourceInfo => ({ type, kind: def.kind, namespaced: true, group: DEVICES_GROUP, version: DEVICES_VERSION, plural: def.resource, def }));
  return [...core, ...devices];
}

/** "v1" or "<group>/<version>". */
export function apiVersionOf(r: Pick<ResourceInfo, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** The plural as Kubernetes prints it in messages: "pods", "devices.devices.kubeedge.io". */
export function qualifiedPlural(r: Pick<ResourceInfo, 'group' | 'plural'>): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}
