// The subresources a ResourceDef serves, with the kind each one answers with and its verbs, as
// kube-apiserver reports them in discovery (pods/status -> Pod, deployments/scale -> autoscaling/v1
// Scale, pods/eviction -> policy/v1 Eviction).
import type { ResourceDef } from '../registry/types.js';

export interface SubresourceInfo {
  /** 'status', 'scale', ... */
  name: string;
  /** Set when the answer's group-version differs from the parent's. */
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
}

const readWrite = ['get', 'patch', 'update'];

/** Subresources of `def`, sorted by name. Kinds are relative to the parent's group-version unless group/version is set. */
export function subresourcesOf(def: Pick<ResourceDef, 'kind' | 'group' | 'subresources'>): SubresourceInfo[] {
  const sub = def.subresources;
  const core = (kind: string): Pick<SubresourceInfo, 'group' | 'version' | 'kind'> =>
    def.group === '' ? { kind } : { group: '', version: 'v1', kind };
  const out: SubresourceInfo[] = [];
  if (sub.binding) out.push({ name: 'binding', ...core('Binding'), verbs: ['create'] });
  if (sub.eviction) out.push({ name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
  if (sub.exec) out.push({ name: 'exec', ...core('PodExecOptions'), verbs: ['create', 'get'] });
  if (sub.log) out.push({ name: 'log', kind: def.kind, verbs: ['get'] });
  if (sub.scale) out.push({ name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: readWrite });
  if (sub.status) out.push({ name: 'status', kind: def.kind, verbs: readWrite });
  return out;
}
