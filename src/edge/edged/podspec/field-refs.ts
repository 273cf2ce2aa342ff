// The downward API: fieldRef and resourceFieldRef values, shared by env and downwardAPI volumes.
// Mirrors kubelet's podFieldSelectorRuntimeValue + fieldpath.ExtractFieldPathAsString and
// resource.ExtractContainerResourceValue (limits default to node allocatable; results round up).
import type { NodeFacts, Pod, PodContainer } from '../pod-contracts.js';
import { obj, objs, str, stringMap } from './json-fields.js';
import { parseCpuMilli, parseMemoryBytes } from './quantity.js';

export interface FieldContext {
  node: NodeFacts;
  podIP: string;
  podIPs: string[];
}

/** kubelet fieldpath.FormatMap: sorted key="value" lines (Go %q quoting, JSON is close enough). */
export function formatMap(m: Record<string, string>): string {
  return Object.keys(m).sort().map((k) => `${k}=${JSON.stringify(m[k])}`).join('\n');
}

function subscript(path: string, prefix: string): string | undefined {
  if (!path.startsWith(`${prefix}[`) || !path.endsWith(']')) return undefined;
  const inner = path.slice(prefix.length + 1, -1);
  const m = /^'(.*)'$/.exec(inner) ?? /^"(.*)"$/.exec(inner);
  return m?.[1];
}

/** Value of a fieldRef.fieldPath. Throws Error for unsupported paths. */
export function podFieldValue(pod: Pod, fieldPath: string, ctx: FieldContext): string {
  const meta = pod.metadata;
  const spec = pod.spec;
  switch (fieldPath) {
    case 'metadata.name': return meta.name;
    case 'metadata.namespace': return meta.namespace;
    case 'metadata.uid': return meta.uid;
    case 'metadata.labels': return formatMap(stringMap(meta['labels']));
    case 'metadata.annotations': return formatMap(stringMap(meta['annotations']));
    case 'spec.nodeName': return str(spec['nodeName']) ?? ctx.node.nodeName;
    case 'spec.serviceAccountName': return str(spec['serviceAccountName']) ?? '';
    case 'status.hostIP': return ctx.node.nodeIP;
    case 'status.hostIPs': return ctx.node.nodeIP;
    case 'status.podIP': return ctx.podIP;
    case 'status.podIPs': return ctx.podIPs.join(',');
  }
  const label = subscript(fieldPath, 'metadata.labels');
  if (label !== undefined) return stringMap(meta['labels'])[label] ?? '';
  const annotation = subscript(fieldPath, 'metadata.annotations');
  if (annotation !== undefined) return stringMap(meta['annotations'])[annotation] ?? '';
  throw new Error(`unsupported fieldPath: ${fieldPath}`);
}

export function allContainers(pod: Pod): PodContainer[] {
  return [...objs(pod.spec['initContainers']), ...objs(pod.spec['containers'])]
    .filter((c): c is PodContainer => typeof c['name'] === 'string');
}

function ceilDiv(value: number, divisor: number): string {
  return String(Math.ceil(value / divisor));
}

/** Value of a resourceFieldRef for `container` (or resourceFieldRef.containerName). Throws Error. */
export function containerResourceValue(ref: Record<string, unknown>, pod: Pod, container: PodContainer | undefined, node: NodeFacts): string {
  const name = str(ref['containerName']);
  const target = name ? allContainers(pod).find((c) => c.name === name) : container;
  if (!target) throw new Error(`container ${name ?? ''} not found`);
  const resource = str(ref['resource']) ?? '';
  const divisorText = ref['divisor'] === undefined || ref['divisor'] === '0' || ref['divisor'] === 0 ? '1' : ref['divisor'];
  const resources = obj(target['resources']);
  const limits = obj(resources['limits']);
  const requests = obj(resources['requests']);
  const [kind, res = ''] = resource.split(/\.(.*)/s);
  const values = kind === 'limits' ? limits : kind === 'requests' ? requests : undefined;
  if (!values) throw new Error(`unsupported container resource : ${resource}`);
  if (res === 'cpu') {
    const milli = parseCpuMilli(values['cpu']) ?? (kind === 'limits' ? Math.ceil(node.allocatable.cpu * 1000) : 0);
    return ceilDiv(milli, parseCpuMilli(divisorText) || 1);
  }
  const allocatable: Record<string, number | undefined> = { memory: node.allocatable.memory, 'ephemeral-storage': node.allocatable.ephemeralStorage };
  if (res === 'memory' || res === 'ephemeral-storage' || res.startsWith('hugepages-')) {
    const bytes = parseMemoryBytes(values[res]) ?? (kind === 'limits' ? allocatable[res] ?? 0 : 0);
    return ceilDiv(bytes, parseMemoryBytes(divisorText) || 1);
  }
  throw new Error(`unsupported container resource : ${resource}`);
}
