// Validation before a write: metadata rules for the kind, the kind's own strategy, and the update rule
// that a terminating object cannot gain finalizers. Any problem is one 422 Invalid listing every cause.
import type { KubeObject, StatusCause } from '../../api/index.js';
import { errors } from '../errors.js';
import { nameRuleFor, validateObjectMeta } from '../registry/index.js';
import { finalizersOf, isTerminating } from './object-meta.js';
import type { Resolved } from './resolve.js';

/** Go's %#v of a []string, as kube-apiserver prints it in this message. */
const goStrings = (values: string[]): string => `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;

function finalizerCauses(obj: KubeObject, old: KubeObject): StatusCause[] {
  if (!isTerminating(old)) return [];
  const before = new Set(finalizersOf(old));
  const added = finalizersOf(obj).filter((f) => !before.has(f));
  if (added.length === 0) return [];
  return [{
    reason: 'FieldValueForbidden', field: 'metadata.finalizers',
    message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${goStrings(added)}`,
  }];
}

export function validateOrThrow(r: Resolved, obj: KubeObject, old?: KubeObject): void {
  const { def } = r;
  const causes = validateObjectMeta(obj, { namespaced: def.namespaced, nameRule: nameRuleFor(def) });
  if (def.strategy?.validate) causes.push(...def.strategy.validate(obj, old));
  if (old) causes.push(...finalizerCauses(obj, old));
  if (causes.length > 0) {
    const name = obj.metadata.name ?? obj.metadata.generateName ?? '';
    throw errors.invalid(def.kind, def.group, typeof name === 'string' ? name : '', causes);
  }
}
