// Label and field selectors (the control plane's parser and matcher, so the syntax, the supported
// fields and the error messages are kube-apiserver's), and the small "skeleton" of an object that a
// selector can read: the watch keeps one per object to tell when a change moves an object out of a
// watcher's selection (a DELETED event for that watcher).
import type { KubeObject } from '../../api/index.js';
import { compileObjectFilter, defaultFieldGetters } from '../../controlplane/selectors/index.js';
import { ApiError } from './api-error.js';
import type { ResourceInfo } from './resources.js';

export type ObjectFilter = (obj: KubeObject) => boolean;

export interface SelectorOptions {
  labelSelector: string;
  fieldSelector: string;
}

/** Compiles once; a bad selector or an unsupported field is a 400 BadRequest. `name` narrows to one object. */
export function compileSelection(resource: ResourceInfo, opts: SelectorOptions, name?: string): ObjectFilter {
  let filter: ObjectFilter;
  try {
    filter = compileObjectFilter({
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      kind: resource.kind,
      ...(resource.def.selectableFields ? { fields: resource.def.selectableFields } : {}),
    });
  } catch (err) {
    const e = err as { code?: unknown; message?: unknown };
    if (e.code === 400 && typeof e.message === 'string') throw new ApiError('BadRequest', e.message, {}, { cause: err });
    throw err;
  }
  return name === undefined ? filter : (obj) => obj.metadata.name === name && filter(obj);
}

/** The dotted paths any selector on this resource can read besides labels, name and namespace. */
export function selectablePaths(resource: ResourceInfo): string[] {
  const keys = new Set([...Object.keys(defaultFieldGetters(resource.kind)), ...Object.keys(resource.def.selectableFields ?? {})]);
  return [...keys].filter((k) => !k.startsWith('metadata.'));
}

/** An object reduced to what selectors read; filters give the same answer on it as on the object. */
export function selectionSkeleton(obj: KubeObject, paths: readonly string[]): KubeObject {
  const { name, namespace, labels } = obj.metadata;
  const skel: KubeObject = { metadata: { ...(name !== undefined ? { name } : {}), ...(namespace !== undefined ? { namespace } : {}), ...(labels ? { labels } : {}) } };
  for (const path of paths) {
    const keys = path.split('.');
    let src: unknown = obj;
    for (const k of keys) src = typeof src === 'object' && src !== null ? (src as Record<string, unknown>)[k] : undefined;
    if (src === undefined) continue;
    let dst: Record<string, unknown> = skel;
    keys.forEach((k, i) => {
      if (i === keys.length - 1) dst[k] = src;
      else dst = (dst[k] ??= {}) as Record<string, unknown>;
    });
  }
  return skel;
}
