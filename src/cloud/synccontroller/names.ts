// Names and kinds of KubeEdge's reliable sync (cloud/pkg/synccontroller): an ObjectSync is named
// <node>.<objectUID>; the node is everything before the last dot (node names may hold dots, UIDs
// do not). Resource versions compare as unsigned integers (KubeEdge's CompareResourceVersion).
import { Resources, type ResourceRef } from '../kube/index.js';

export function syncName(node: string, uid: string): string {
  return `${node}.${uid}`;
}

export function nodeOfSync(name: string): string {
  const i = name.lastIndexOf('.');
  return i < 0 ? '' : name.slice(0, i);
}

export function uidOfSync(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/**
 * Sign of a − b for two resourceVersions. KubeEdge panics on a non-numeric one; we order such a
 * version after any number (so a record with an unreadable version is rewritten, never trusted).
 */
export function compareResourceVersion(a: string, b: string): number {
  const x = toUint(a);
  const y = toUint(b);
  if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
  return x > y ? 1 : x < y ? -1 : 0;
}

function toUint(v: string): bigint | undefined {
  return /^\d{1,20}$/.test(v) ? BigInt(v) : undefined;
}

/** An object kind the edge receives: its wire type (KubeEdge: strings.ToLower(kind)) and API home. */
export interface SyncedKind {
  type: string;
  kind: string;
  apiVersion: string;
  ref: ResourceRef;
}

const refs: ResourceRef[] = [
  Resources.pods, Resources.configmaps, Resources.secrets, Resources.services, Resources.endpoints, Resources.nodes,
  Resources.devices, Resources.devicemodels,
];

const byType = new Map<string, SyncedKind>(refs.map((ref) => {
  const k: SyncedKind = {
    type: ref.kind.toLowerCase(), kind: ref.kind, apiVersion: ref.group ? `${ref.group}/${ref.version}` : ref.version, ref,
  };
  return [k.type, k];
}));

/** The synced kind for a wire type ("pod") or a Kind ("Pod"); undefined for types not tracked. */
export function syncedKind(typeOrKind: string): SyncedKind | undefined {
  return byType.get(typeOrKind.toLowerCase());
}
