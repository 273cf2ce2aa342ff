// What the control plane knows about one served resource. Built-in kinds are declared in code
// (registry/builtin-*.ts); each CustomResourceDefinition becomes one ResourceDef at run time.
import type { KubeObject, StatusCause } from '../../api/index.js';

export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

/** One column of a meta.k8s.io/v1 Table answer (kubectl get). priority 0 = shown by default, >0 = -o wide. */
export interface TableColumn {
  name: string;
  type: ColumnType;
  format?: string;
  description?: string;
  priority?: number;
  /** `now` is the table's clock (ages, "5m ago"); buildTable always passes it. */
  cell: (obj: KubeObject, now?: Date) => unknown;
}

/** Where the scale subresource reads and writes (JSON paths in the dotted form CRDs use, e.g. ".spec.replicas"). */
export interface ScaleSpec {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface Subresources {
  status?: boolean;
  scale?: ScaleSpec;
  /** pods/binding */
  binding?: boolean;
  /** pods/log, pods/exec: routed to a handler the edge issues register (see apiserver). */
  log?: boolean;
  exec?: boolean;
  eviction?: boolean;
}

/** Hooks run by the object API around storage writes, like Kubernetes' REST strategies. */
export interface ResourceStrategy {
  /** Defaults and server-set fields on create (status reset, generation = 1 is done generically). */
  prepareForCreate?(obj: KubeObject): void;
  /** On a main-resource update: e.g. keep old status. On a status update the generic code keeps old spec. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /** Semantic validation; return causes for a 422. `old` is set on update. */
  validate?(obj: KubeObject, old?: KubeObject): StatusCause[];
}

export interface ResourceDef {
  /** '' for the core group. */
  group: string;
  /** The preferred (and storage) version. */
  version: string;
  /** Every served version; objects are stored once and served in any of them unchanged (CRD conversion "None"). */
  versions: string[];
  /** Plural, lower case: 'pods', 'deployments', 'devices'. */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: Subresources;
  /** Built-in kinds accept strategic merge patch; custom resources answer 415 to it, as Kubernetes does. */
  strategicMerge: boolean;
  /** Columns after NAME (and before AGE when `age` is true). Empty = NAME and AGE only. */
  columns: TableColumn[];
  /** Whether the table ends in an AGE column (default true). */
  age?: boolean;
  /** When true, `columns` is the whole row: no NAME column is put first and no AGE last. Core events need
   *  it: they print LAST SEEN first and NAME as a wide column at the end. */
  columnsComplete?: boolean;
  strategy?: ResourceStrategy;
  /** Fields usable in field selectors besides metadata.name and metadata.namespace. */
  selectableFields?: Record<string, (obj: KubeObject) => string | undefined>;
  /** OpenAPI v3 schema of the kind, when known (CRDs carry one; built-ins get a loose one). */
  schema?: Record<string, unknown>;
  /** Set for custom resources: the CRD name. */
  crd?: string;
}

/** The storage key of a resource: 'pods', 'apps/deployments', 'devices.kubeedge.io/devices'. */
export function storageResource(def: Pick<ResourceDef, 'group' | 'resource'>): string {
  return def.group ? `${def.group}/${def.resource}` : def.resource;
}

export function apiVersionOf(def: Pick<ResourceDef, 'group' | 'version'>, version = def.version): string {
  return def.group ? `${def.group}/${version}` : version;
}
