// The part of a container's env known without fetching anything: literal values (expanded in order)
// and metadata/spec fieldRefs. Used for subPathExpr when the caller did not pass the resolved env.
import type { Pod, PodContainer } from '../pod-contracts.js';
import { expand, mappingFor } from './expansion.js';
import { formatMap } from './field-refs.js';
import { obj, objs, str, stringMap } from './json-fields.js';

function fieldValue(pod: Pod, path: string): string | undefined {
  const values: Record<string, string> = {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace,
    'metadata.uid': pod.metadata.uid,
    'metadata.labels': formatMap(stringMap(pod.metadata['labels'])),
    'metadata.annotations': formatMap(stringMap(pod.metadata['annotations'])),
    'spec.nodeName': str(pod.spec['nodeName']) ?? '',
    'spec.serviceAccountName': str(pod.spec['serviceAccountName']) ?? '',
    'status.podIP': str(obj(pod.status)['podIP']) ?? '',
    'status.hostIP': str(obj(pod.status)['hostIP']) ?? '',
  };
  return values[path];
}

export function staticEnv(pod: Pod, container: PodContainer): Map<string, string> {
  const env = new Map<string, string>();
  for (const entry of objs(container['env'])) {
    const name = str(entry['name']);
    if (!name) continue;
    const value = str(entry['value']) ?? '';
    if (value !== '') env.set(name, expand(value, mappingFor(env)));
    else {
      const path = str(obj(obj(entry['valueFrom'])['fieldRef'])['fieldPath']);
      const v = path ? fieldValue(pod, path) : undefined;
      if (v !== undefined) env.set(name, v);
    }
  }
  return env;
}
