// Objects in the representation the client negotiated: as stored, as a meta.k8s.io Table (kubectl
// get, including each watch event: one Table with one row), or as PartialObjectMetadata.
import type { KubeList, KubeObject } from '../../api/index.js';
import type { ApiWatchEvent } from '../objects/index.js';
import { buildTable, type ResourceDef } from '../registry/index.js';
import type { ObjectFormat } from './negotiate.js';
import type { IncludeObject } from './query.js';

export interface Transformer {
  object(obj: KubeObject): unknown;
  list(list: KubeList): unknown;
  event(event: ApiWatchEvent): { type: string; object: unknown };
}

const identity: Transformer = {
  object: (obj) => obj,
  list: (list) => list,
  event: (e) => e,
};

export function transformerFor(format: ObjectFormat, def: ResourceDef, includeObject: IncludeObject | undefined): Transformer {
  if (format.kind === 'json') return identity;
  const apiVersion = `meta.k8s.io/${format.version}`;
  if (format.kind === 'metadata') return metadataTransformer(apiVersion);
  const table = (objects: KubeObject[], rv?: string, cont?: string): Record<string, unknown> => {
    const t = buildTable(def, objects, {
      ...(includeObject ? { includeObject } : {}),
      ...(rv !== undefined ? { resourceVersion: rv } : {}),
      ...(cont ? { continue: cont } : {}),
    }) as unknown as Record<string, unknown>;
    return { ...t, apiVersion, kind: 'Table' };
  };
  return {
    object: (obj) => table([obj]),
    list: (list) => table(list.items, list.metadata.resourceVersion, list.metadata.continue),
    event: (e) => {
      if (e.type === 'ERROR') return e;
      // A bookmark carries only a resourceVersion; as a Table it is an empty one with that version.
      if (e.type === 'BOOKMARK') {
        const meta = (e.object as KubeObject).metadata;
        return { type: e.type, object: { apiVersion, kind: 'Table', metadata: { resourceVersion: meta.resourceVersion }, columnDefinitions: [], rows: [] } };
      }
      return { type: e.type, object: table([e.object as KubeObject]) };
    },
  };
}

function metadataTransformer(apiVersion: string): Transformer {
  const partial = (obj: KubeObject): Record<string, unknown> => ({ apiVersion, kind: 'PartialObjectMetadata', metadata: obj.metadata });
  return {
    object: partial,
    list: (list) => ({ apiVersion, kind: 'PartialObjectMetadataList', metadata: list.metadata, items: list.items.map(partial) }),
    event: (e) => (e.type === 'ERROR' ? e : { type: e.type, object: partial(e.object as KubeObject) }),
  };
}
