// Keys, revisions and JSON text of stored objects: the small pure pieces the store's write paths share.
import { isKubeObject, type KubeObject } from '../../api/index.js';
import { errors, type ResourceName } from '../errors.js';

/** Kubernetes' wording for a stale resourceVersion (409 Conflict). */
export const CONFLICT_REASON = 'the object has been modified; please apply your changes to the latest version and try again';

/** 'apps/deployments' → { group: 'apps', resource: 'deployments' }; 'pods' → core group. For error messages. */
export function resourceNameOf(storageResource: string): ResourceName {
  const slash = storageResource.lastIndexOf('/');
  if (slash < 0) return { group: '', resource: storageResource };
  return { group: storageResource.slice(0, slash), resource: storageResource.slice(slash + 1) };
}

export function checkWritableResource(resource: string): void {
  if (typeof resource !== 'string' || resource === '' || resource === '*') {
    throw errors.badRequest(`storage: invalid resource ${JSON.stringify(resource)}`);
  }
}

/** The (namespace, name) key of an object; a missing or null namespace is '' (cluster-scoped). */
export function objectKey(resource: string, obj: KubeObject): { namespace: string; name: string } {
  if (!isKubeObject(obj)) throw errors.badRequest(`storage: ${resource}: object has no metadata`);
  const name: unknown = obj.metadata.name;
  const namespace: unknown = obj.metadata.namespace ?? '';
  if (typeof name !== 'string' || name === '') throw errors.badRequest(`storage: ${resource}: metadata.name is required`);
  if (typeof namespace !== 'string') throw errors.badRequest(`storage: ${resource}: metadata.namespace must be a string`);
  return { namespace, name };
}

/** undefined → null (no precondition); otherwise a non-negative integer revision. */
export function expectedRevisionOf(expected: number | undefined): number | null {
  if (expected === undefined) return null;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw errors.badRequest(`invalid resourceVersion: ${JSON.stringify(expected)}`);
  }
  return expected;
}

/** The JSON text to store: the object with metadata.resourceVersion set, without touching the caller's object. */
export function stampedJson(obj: KubeObject, revision: number): string {
  return JSON.stringify({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(revision) } });
}

/** Parses stored JSON; undefined when the text is not a Kubernetes object (corrupt row). */
export function parseStored(json: string): KubeObject | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return isKubeObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The last state of a deleted object, carrying the deletion revision. A corrupt row still deletes. */
export function deletedState(json: string, namespace: string, name: string, revision: number): KubeObject {
  const obj = parseStored(json) ?? { metadata: namespace ? { name, namespace } : { name } };
  obj.metadata.resourceVersion = String(revision);
  return obj;
}
