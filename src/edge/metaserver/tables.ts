// meta.k8s.io Table answers (what `kubectl get` asks for): cells computed here with the columns of
// kube-apiserver's printers (the control plane's registry holds them: pod STATUS as kubectl computes
// it, ages like "3m2s"), rows carrying PartialObjectMetadata unless includeObject=Object.
import type { KubeObject } from '../../api/index.js';
import { buildTable } from '../../controlplane/registry/index.js';
import type { IncludeObject } from './request-options.js';
import type { ResourceInfo } from './resources.js';

export interface TableOptions {
  version: 'v1' | 'v1beta1';
  includeObject?: IncludeObject | undefined;
  resourceVersion?: string;
  /** The clock for AGE; tests pass one. */
  now?: Date;
}

export function toTable(resource: ResourceInfo, objects: KubeObject[], opts: TableOptions): Record<string, unknown> {
  const t = buildTable(resource.def, objects, {
    ...(opts.includeObject ? { includeObject: opts.includeObject } : {}),
    ...(opts.resourceVersion !== undefined ? { resourceVersion: opts.resourceVersion } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  return { ...t, apiVersion: `meta.k8s.io/${opts.version}`, kind: 'Table' };
}

/** A BOOKMARK's object: only a resourceVersion, as an empty Table or as an object of the kind. */
export function bookmarkObject(resource: ResourceInfo, apiVersion: string, rv: string, table: TableOptions | undefined, annotations?: Record<string, string>): Record<string, unknown> {
  if (table) return { apiVersion: `meta.k8s.io/${table.version}`, kind: 'Table', metadata: { resourceVersion: rv }, columnDefinitions: [], rows: [] };
  return { apiVersion, kind: resource.kind, metadata: { resourceVersion: rv, ...(annotations ? { annotations } : {}) } };
}
