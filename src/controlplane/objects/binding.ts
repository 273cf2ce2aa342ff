// POST pods/<name>/binding: the scheduler's write. Sets spec.nodeName once, merges the binding's
// annotations and marks the pod PodScheduled=True, straight to storage like kube-apiserver's BindingREST
// (no pod update validation: nodeName is otherwise immutable).
import type { KubeObject, Status } from '../../api/index.js';
import { errors } from '../errors.js';
import type { Env, Tx } from './env.js';
import { cloneJson, isTerminating, record, rfc3339 } from './object-meta.js';
import { getOrNotFound, type Resolved } from './resolve.js';
import type { RequestContext } from './types.js';
import { checkPreconditions, writeUpdate } from './update.js';

const bindingResource = { group: '', resource: 'pods/binding' };

function targetNode(binding: KubeObject, podName: string): string {
  const target = record(binding.target) ?? {};
  const kind = target.kind;
  if (kind !== undefined && kind !== '' && kind !== 'Node') {
    throw errors.invalid('Binding', '', podName, [{
      reason: 'FieldValueNotSupported', field: 'target.kind', message: `Unsupported value: ${JSON.stringify(kind)}: supported values: "Node"`,
    }]);
  }
  if (typeof target.name !== 'string' || target.name === '') {
    throw errors.invalid('Binding', '', podName, [{ reason: 'FieldValueRequired', field: 'target.name', message: 'Required value' }]);
  }
  return target.name;
}

/** PodScheduled=True, keeping the transition time when it already was True (UpdatePodCondition). */
function setPodScheduled(pod: KubeObject, now: Date): void {
  const status = record(pod.status) ?? {};
  const conditions = Array.isArray(status.conditions) ? status.conditions.map((c) => record(c) ?? {}) : [];
  const index = conditions.findIndex((c) => c.type === 'PodScheduled');
  const prior = index >= 0 ? conditions[index] : undefined;
  const lastTransitionTime = prior?.status === 'True' && typeof prior.lastTransitionTime === 'string'
    ? prior.lastTransitionTime : rfc3339(now);
  const condition = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime };
  if (index >= 0) conditions[index] = condition;
  else conditions.push(condition);
  pod.status = { ...status, conditions };
}

export function bindPod(env: Env, tx: Tx, pods: Resolved, namespace: string, podName: string, binding: KubeObject,
  ctx: RequestContext): Status {
  const meta = record(binding.metadata) ? binding.metadata : {};
  if (typeof meta.name === 'string' && meta.name !== '' && meta.name !== podName) {
    throw errors.badRequest('name in URL does not match name in Binding object');
  }
  if (typeof meta.namespace === 'string' && meta.namespace !== '' && meta.namespace !== namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const node = targetNode(binding, podName);
  const pod = getOrNotFound(env, pods, namespace, podName);
  checkPreconditions(pods, pod, { metadata: { ...(meta.uid ? { uid: meta.uid } : {}), ...(meta.resourceVersion ? { resourceVersion: meta.resourceVersion } : {}) } });
  if (isTerminating(pod)) {
    throw errors.conflict(bindingResource, podName, `pod ${podName} is being deleted, cannot be assigned to a host`);
  }
  const spec = record(pod.spec) ?? {};
  if (typeof spec.nodeName === 'string' && spec.nodeName !== '') {
    throw errors.conflict(bindingResource, podName, `pod ${podName} is already assigned to node ${JSON.stringify(spec.nodeName)}`);
  }
  const next = cloneJson(pod);
  next.spec = { ...spec, nodeName: node };
  const annotations = record(meta.annotations);
  if (annotations) next.metadata.annotations = { ...(next.metadata.annotations ?? {}), ...(annotations as Record<string, string>) };
  setPodScheduled(next, env.now());
  writeUpdate(env, tx, pods, pod, next, ctx, { raw: true });
  return { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success', code: 201 };
}
