// Workload label selectors (spec.selector of ReplicaSets, Deployments, DaemonSets, StatefulSets) as
// predicates over objects, on top of the control plane's selector module.
import type { KubeObject } from '../../api/index.js';
import { labelSelectorFromSpec, matchLabels } from '../selectors/index.js';

export type ObjectMatcher = (obj: KubeObject) => boolean;

/** A missing or unparsable selector selects nothing, so a broken workload never adopts every pod. */
export function selectorMatcher(selector: unknown): ObjectMatcher {
  if (typeof selector !== 'object' || selector === null) return () => false;
  let reqs: ReturnType<typeof labelSelectorFromSpec>;
  try {
    reqs = labelSelectorFromSpec(selector as Parameters<typeof labelSelectorFromSpec>[0]);
  } catch {
    return () => false;
  }
  if (reqs === null) return () => false;
  return (obj) => matchLabels(reqs, obj.metadata.labels ?? {});
}
