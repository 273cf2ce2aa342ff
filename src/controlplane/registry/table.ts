// meta.k8s.io/v1 Table answers (what `kubectl get` asks for with `Accept: ...;as=Table`). Cells are
// computed server-side from each object with the def's columns; every column is sent, and kubectl hides
// priority > 0 columns unless -o wide.
import type { KubeObject } from '../../api/index.js';
import { ageColumn } from './age.js';
import type { ResourceDef, TableColumn } from './types.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  /** Metadata (kubectl's default): each row carries a PartialObjectMetadata; Object: the whole object. */
  includeObject?: IncludeObject;
  resourceVersion?: string;
  continue?: string;
  /** The clock for AGE and other relative times; defaults to the current time. */
  now?: Date;
}

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

const nameColumn: TableColumn = {
  name: 'Name', type: 'string', format: 'name',
  description: 'Name must be unique within a namespace. Cannot be updated.',
  cell: (obj) => obj.metadata.name ?? '',
};

/** The full column list of a def: NAME first and AGE last unless the def lays out its own row. */
export function tableColumns(def: ResourceDef): TableColumn[] {
  if (def.columnsComplete) return def.columns;
  return [nameColumn, ...def.columns, ...(def.age === false ? [] : [ageColumn()])];
}

function rowObject(obj: KubeObject, include: IncludeObject): unknown {
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

/** A malformed stored object must not break a whole listing: its failing cell prints as null. */
function cellOf(column: TableColumn, obj: KubeObject, now: Date): unknown {
  try {
    const value = column.cell(obj, now);
    return value === undefined ? null : value;
  } catch {
    return null;
  }
}

export function buildTable(def: ResourceDef, objects: KubeObject[], opts: TableOptions = {}): Table {
  const columns = tableColumns(def);
  const now = opts.now ?? new Date();
  const include = opts.includeObject ?? 'Metadata';
  const metadata: Table['metadata'] = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: columns.map((c) => ({
      name: c.name, type: c.type, format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0,
    })),
    rows: objects.map((obj) => {
      const row: TableRow = { cells: columns.map((c) => cellOf(c, obj, now)) };
      if (include !== 'None') row.object = rowObject(obj, include);
      return row;
    }),
  };
}
