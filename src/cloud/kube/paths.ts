// URL paths of the Kubernetes API: /api/v1 for the core group, /apis/<group>/<version> otherwise.
import type { ListOptions, ResourceRef } from './types.js';

export function resourcePath(ref: ResourceRef, namespace: string | null | undefined, name?: string, sub?: string): string {
  const base = ref.group === '' ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`;
  const ns = ref.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const obj = name !== undefined ? `/${encodeURIComponent(name)}` : '';
  const s = sub !== undefined && name !== undefined ? `/${sub}` : '';
  return `${base}${ns}/${ref.plural}${obj}${s}`;
}

export function listQuery(opts: ListOptions, extra: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  if (opts.labelSelector) q.set('labelSelector', opts.labelSelector);
  if (opts.fieldSelector) q.set('fieldSelector', opts.fieldSelector);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
