// OpenAPI documents are costly to build and rarely change (only when a CRD is added, changed or
// removed), so they are built on first request and dropped whenever the catalog changes.
import { documentHash, openApiV2, openApiV3Document, openApiV3Root } from '../openapi/index.js';
import type { ResourceDef } from '../registry/index.js';
import type { CatalogView } from './context.js';

export interface CachedDocument {
  json: string;
  hash: string;
}

/** One served group-version: `v1` ↔ path `api/v1`, `apps/v1` ↔ path `apis/apps/v1`. */
export interface GroupVersion {
  groupVersion: string;
  path: string;
  defs: ResourceDef[];
}

export function groupVersionsOf(defs: readonly ResourceDef[]): GroupVersion[] {
  const byGv = new Map<string, GroupVersion>();
  for (const def of defs) {
    for (const v of def.versions) {
      const groupVersion = def.group ? `${def.group}/${v}` : v;
      let entry = byGv.get(groupVersion);
      if (!entry) {
        entry = { groupVersion, path: def.group ? `apis/${groupVersion}` : `api/${v}`, defs: [] };
        byGv.set(groupVersion, entry);
      }
      entry.defs.push(def);
    }
  }
  return [...byGv.values()].sort((a, b) => a.path.localeCompare(b.path));
}

export class OpenApiCache {
  readonly #catalog: CatalogView;
  #v3 = new Map<string, CachedDocument>();
  #root: CachedDocument | undefined;
  #v2: CachedDocument | undefined;

  readonly #unsubscribe: unknown;

  constructor(catalog: CatalogView) {
    this.#catalog = catalog;
    this.#unsubscribe = catalog.onChange(() => this.invalidate());
  }

  /** Stops following catalog changes (when the catalog's onChange returns an unsubscribe function). */
  close(): void {
    if (typeof this.#unsubscribe === 'function') (this.#unsubscribe as () => void)();
  }

  invalidate(): void {
    this.#v3 = new Map();
    this.#root = undefined;
    this.#v2 = undefined;
  }

  /** The document of one group-version by its path (`api/v1`, `apis/apps/v1`), or undefined. */
  v3(path: string): CachedDocument | undefined {
    const hit = this.#v3.get(path);
    if (hit) return hit;
    const gv = groupVersionsOf(this.#catalog.all()).find((g) => g.path === path);
    if (!gv) return undefined;
    const doc = openApiV3Document(gv.groupVersion, this.#catalog.all());
    const entry = { json: JSON.stringify(doc), hash: documentHash(doc) };
    this.#v3.set(path, entry);
    return entry;
  }

  /** `/openapi/v3`: the path of every group-version with its current hash. */
  v3Root(): CachedDocument {
    if (this.#root) return this.#root;
    const gvs = groupVersionsOf(this.#catalog.all());
    const pathOf = new Map(gvs.map((g) => [g.groupVersion, g.path]));
    const root = openApiV3Root(gvs.map((g) => g.groupVersion), (gv: string) => this.v3(pathOf.get(gv) ?? '')?.hash ?? '');
    this.#root = { json: JSON.stringify(root), hash: documentHash(root) };
    return this.#root;
  }

  v2(): CachedDocument {
    if (this.#v2) return this.#v2;
    const doc = openApiV2(this.#catalog.all());
    this.#v2 = { json: JSON.stringify(doc), hash: documentHash(doc) };
    return this.#v2;
  }
}
