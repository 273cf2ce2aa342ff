// The set of served resources: built-ins plus one def per registered CRD. Discovery, the object API and
// the OpenAPI documents read it; CRD creates, updates and deletes change it and notify listeners.
import type { KubeObject } from '../../api/index.js';
import { errors } from '../errors.js';
import { builtinResources } from './builtins.js';
import { crdToResourceDefs } from './crd.js';
import { fieldErrors } from './field-errors.js';
import { storageResource, type ResourceDef } from './types.js';
import { sortKubeVersions } from './version-order.js';

export interface ApiGroupInfo {
  name: string;
  versions: string[];
  preferredVersion: string;
}

export type CatalogChange =
  | { type: 'registered'; def: ResourceDef; previous?: ResourceDef }
  | { type: 'unregistered'; def: ResourceDef };

/** kube-aggregator's group priorities for the built-in groups we serve; CRD groups rank at 1000. */
const groupPriority: Readonly<Record<string, number>> = {
  apps: 17800,
  'events.k8s.io': 17750,
  'apiextensions.k8s.io': 16700,
  'coordination.k8s.io': 16500,
};
const crdGroupPriority = 1000;

export class Catalog {
  readonly #builtins: ResourceDef[];
  readonly #crds = new Map<string, ResourceDef>();
  readonly #listeners = new Set<(change: CatalogChange) => void>();

  constructor(builtins: ResourceDef[] = builtinResources()) {
    this.#builtins = builtins;
  }

  all(): ResourceDef[] {
    return [...this.#builtins, ...this.#crds.values()];
  }

  get(group: string, resource: string): ResourceDef | undefined {
    return this.all().find((d) => d.group === group && d.resource === resource);
  }

  byKind(group: string, kind: string): ResourceDef | undefined {
    return this.all().find((d) => d.group === group && d.kind === kind);
  }

  /** Resources served in one group-version, sorted by name as discovery lists them. */
  served(group: string, version: string): ResourceDef[] {
    return this.all().filter((d) => d.group === group && d.versions.includes(version))
      .sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));
  }

  /** Named API groups (core excluded) in the order kube-apiserver lists them under /apis. */
  groups(): ApiGroupInfo[] {
    const byGroup = new Map<string, { versions: string[]; preferred?: string; priority: number }>();
    for (const def of this.all()) {
      if (def.group === '' || def.versions.length === 0) continue;
      const entry = byGroup.get(def.group) ?? { versions: [], priority: groupPriority[def.group] ?? crdGroupPriority };
      entry.versions.push(...def.versions);
      if (!def.crd) entry.preferred = def.version;
      byGroup.set(def.group, entry);
    }
    const infos = [...byGroup].map(([name, e]) => {
      const versions = sortKubeVersions(e.versions);
      return { name, versions, preferredVersion: e.preferred ?? versions[0] ?? '', priority: e.priority };
    });
    // Equal priorities (CRD groups) are ordered by their first APIService name, "<version>.<group>".
    const firstApiService = (g: { name: string; versions: string[] }): string => g.versions.map((v) => `${v}.${g.name}`).sort()[0] ?? '';
    infos.sort((a, b) => b.priority - a.priority || (firstApiService(a) < firstApiService(b) ? -1 : 1));
    return infos.map(({ name, versions, preferredVersion }) => ({ name, versions, preferredVersion }));
  }

  /** Adds or replaces the def of a CRD. Throws Invalid when the CRD is malformed or its names clash. */
  registerCRD(crd: KubeObject): ResourceDef {
    const def = crdToResourceDefs(crd);
    const name = def.crd ?? '';
    this.#checkClash(def, name);
    const previous = this.#crds.get(name);
    this.#crds.set(name, def);
    this.#emit(previous ? { type: 'registered', def, previous } : { type: 'registered', def });
    return def;
  }

  unregisterCRD(name: string): boolean {
    const def = this.#crds.get(name);
    if (!def) return false;
    this.#crds.delete(name);
    this.#emit({ type: 'unregistered', def });
    return true;
  }

  onChange(listener: (change: CatalogChange) => void): () => void {
    this.#listeners.add(listener);
    return () => { this.#listeners.delete(listener); };
  }

  #checkClash(def: ResourceDef, name: string): void {
    const others = this.all().filter((d) => d.crd !== name && d.group === def.group);
    const plural = others.find((d) => d.resource === def.resource);
    const kind = others.find((d) => d.kind === def.kind);
    const causes = [];
    if (plural) causes.push(fieldErrors.invalid('spec.names.plural', def.resource, `"${def.resource}" is already in use by ${storageResource(plural)}`));
    if (kind) causes.push(fieldErrors.invalid('spec.names.kind', def.kind, `"${def.kind}" is already in use by ${storageResource(kind)}`));
    if (causes.length > 0) throw errors.invalid('CustomResourceDefinition', 'apiextensions.k8s.io', name, causes);
  }

  #emit(change: CatalogChange): void {
    for (const listener of [...this.#listeners]) listener(change);
  }
}
