// kubelet GeneratePodHostNameAndDomain: spec.hostname, else the pod name cut to 63 characters
// without a trailing '-' or '.'.
import type { Pod } from '../pod-contracts.js';
import { str } from './json-fields.js';

export function podHostname(pod: Pod): string {
  const explicit = str(pod.spec['hostname']);
  if (explicit) return explicit;
  const name = pod.metadata.name;
  return name.length <= 63 ? name : name.slice(0, 63).replace(/[-.]+$/, '');
}
