// The scale subresource: an autoscaling/v1 Scale view of spec.replicas, status.replicas and the label
// selector (read where the def's ScaleSpec points), and writes of spec.replicas through the normal update.
import type { KubeObject } from '../../api/index.js';
import { errors } from '../errors.js';
import { labelSelectorString } from '../registry/index.js';
import type { ScaleSpec } from '../registry/types.js';
import type { Env, Tx } from './env.js';
import { cloneJson, record } from './object-meta.js';
import { checkBodyName, getOrNotFound, resourceNotFound, scopeNamespace, type Resolved } from './resolve.js';
import type { RequestContext } from './types.js';
import { checkPreconditions, writeUpdate } from './update.js';

export const scaleApiVersion = 'autoscaling/v1';

export function scaleSpecOf(r: Resolved): ScaleSpec {
  const spec = r.def.subresources.scale;
  if (!spec) throw resourceNotFound();
  return spec;
}

/** ".spec.replicas" → ['spec', 'replicas'] */
const pathOf = (jsonPath: string): string[] => jsonPath.replace(/^\./, '').split('.').filter((p) => p !== '');

function readPath(obj: unknown, jsonPath: string): unknown {
  let current: unknown = obj;
  for (const key of pathOf(jsonPath)) current = record(current)?.[key];
  return current;
}

function writePath(obj: KubeObject, jsonPath: string, value: unknown): void {
  const keys = pathOf(jsonPath);
  let current: Record<string, unknown> = obj;
  keys.slice(0, -1).forEach((key) => {
    const next = record(current[key]) ?? {};
    current[key] = next;
    current = next;
  });
  const last = keys[keys.length - 1];
  if (last) current[last] = value;
}

/** Built-ins keep a metav1.LabelSelector (printed as text); custom resources a string at labelSelectorPath. */
function selectorText(obj: KubeObject, spec: ScaleSpec): string {
  const value = readPath(obj, spec.labelSelectorPath ?? '.spec.selector');
  if (typeof value === 'string') return value;
  return record(value) ? labelSelectorString(value) : '';
}

export function scaleOf(r: Resolved, obj: KubeObject): KubeObject {
  const spec = scaleSpecOf(r);
  const meta = obj.metadata;
  const metadata: KubeObject['metadata'] = { name: meta.name ?? '' };
  if (meta.namespace) metadata.namespace = meta.namespace;
  for (const field of ['uid', 'resourceVersion', 'creationTimestamp'] as const) if (meta[field] !== undefined) metadata[field] = meta[field];
  const replicas = readPath(obj, spec.specReplicasPath);
  const current = readPath(obj, spec.statusReplicasPath);
  const status: Record<string, unknown> = { replicas: typeof current === 'number' ? current : 0 };
  const selector = selectorText(obj, spec);
  if (selector) status.selector = selector;
  return {
    kind: 'Scale', apiVersion: scaleApiVersion, metadata,
    spec: { replicas: typeof replicas === 'number' ? replicas : 0 }, status,
  };
}

export function getScale(env: Env, r: Resolved, namespace: string | undefined, name: string): KubeObject {
  scaleSpecOf(r);
  return scaleOf(r, getOrNotFound(env, r, scopeNamespace(r, namespace), name));
}

function replicasOf(scale: KubeObject, name: string): number {
  const replicas = record(scale.spec)?.replicas ?? 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw errors.invalid('Scale', 'autoscaling', name, [{
      reason: 'FieldValueInvalid', field: 'spec.replicas',
      message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
    }]);
  }
  return replicas;
}

/** PUT .../scale (and the write of a scale PATCH): sets spec.replicas; the Scale's resourceVersion is a precondition. */
export function updateScale(env: Env, tx: Tx, r: Resolved, namespace: string | undefined, name: string,
  scale: KubeObject, ctx: RequestContext): KubeObject {
  const spec = scaleSpecOf(r);
  if (typeof scale.kind === 'string' && scale.kind !== '' && scale.kind !== 'Scale') {
    throw errors.badRequest(`the object provided is unrecognized (must be of type Scale): unexpected kind ${JSON.stringify(scale.kind)}`);
  }
  const meta = record(scale.metadata) ? scale.metadata : {};
  checkBodyName({ ...scale, metadata: meta }, name);
  const replicas = replicasOf(scale, name);
  const old = getOrNotFound(env, r, scopeNamespace(r, namespace), name);
  checkPreconditions(r, old, { ...scale, metadata: meta });
  const next = cloneJson(old);
  writePath(next, spec.specReplicasPath, replicas);
  return scaleOf(r, writeUpdate(env, tx, r, old, next, ctx));
}
