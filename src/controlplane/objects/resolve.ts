// Turning a ResourceRef into what the operations need (the def, its storage key, the apiVersion of
// answers) and shaping objects for answers: stored once in the preferred version, served in any
// served version unchanged (conversion "None"), always with apiVersion and kind set.
import type { KubeObject } from '../../api/index.js';
import { ApiError, errors, type ResourceName } from '../errors.js';
import { apiVersionOf, storageResource, type ResourceDef } from '../registry/types.js';
import type { Env } from './env.js';
import type { ResourceRef } from './types.js';

export interface Resolved {
  readonly def: ResourceDef;
  /** Storage key, e.g. 'apps/deployments'. */
  readonly key: string;
  /** apiVersion objects are stored with (the preferred version). */
  readonly storedApiVersion: string;
  /** apiVersion of answers (the requested version). */
  readonly apiVersion: string;
  /** Group and plural, as error messages name the resource. */
  readonly name: ResourceName;
}

/** kube-apiserver's answer for a path it does not serve. */
export function resourceNotFound(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function resolve(env: Env, ref: ResourceRef): Resolved {
  const def = env.catalog.get(ref.group, ref.resource);
  if (!def) throw resourceNotFound();
  if (ref.version !== undefined && ref.version !== '' && !def.versions.includes(ref.version)) throw resourceNotFound();
  return {
    def,
    key: storageResource(def),
    storedApiVersion: apiVersionOf(def),
    apiVersion: apiVersionOf(def, ref.version || def.version),
    name: { group: def.group, resource: def.resource },
  };
}

export function isCore(r: Resolved, resource: string): boolean {
  return r.def.group === '' && r.def.resource === resource;
}

/** Cluster-scoped objects live under namespace ''. */
export function scopeNamespace(r: Resolved, namespace: string | undefined): string {
  return r.def.namespaced ? namespace ?? '' : '';
}

/** A shallow copy for answers and events (store event objects are frozen and shared). */
export function present(r: Resolved, obj: KubeObject): KubeObject {
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = obj;
  return { apiVersion: r.apiVersion, kind: r.def.kind, ...rest } as KubeObject;
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The body's apiVersion and kind, when given, must name this resource (as kube-apiserver's decoder checks). */
export function checkTypeMeta(r: Resolved, body: KubeObject): void {
  const { def } = r;
  if (typeof body.apiVersion === 'string' && body.apiVersion !== '') {
    const { group, version } = splitApiVersion(body.apiVersion);
    if (group !== def.group || !def.versions.includes(version)) {
      throw errors.badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${r.apiVersion})`);
    }
  }
  if (typeof body.kind === 'string' && body.kind !== '' && body.kind !== def.kind) {
    if (def.crd) {
      throw errors.invalid(body.kind, def.group, body.metadata.name ?? '', [
        { reason: 'FieldValueInvalid', field: 'kind', message: `Invalid value: ${JSON.stringify(body.kind)}: must be ${def.kind}` },
      ]);
    }
    throw errors.badRequest(`the object provided is unrecognized (must be of type ${def.kind}): unexpected kind ${JSON.stringify(body.kind)}`);
  }
}

/**
 * The namespace of the request and of the body must agree (an empty body namespace takes the request's).
 * Returns the namespace the object lives in ('' for cluster-scoped kinds, whose body namespace is dropped).
 */
export function reconcileNamespace(r: Resolved, requestNamespace: string | undefined, obj: KubeObject): string {
  if (!r.def.namespaced) {
    delete obj.metadata.namespace;
    return '';
  }
  const fromBody = typeof obj.metadata.namespace === 'string' ? obj.metadata.namespace : '';
  const fromRequest = requestNamespace ?? '';
  if (fromBody && fromRequest && fromBody !== fromRequest) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const namespace = fromRequest || fromBody;
  if (namespace) obj.metadata.namespace = namespace;
  return namespace;
}

/** PUT and PATCH: the body may omit the name, but must not name another object. */
export function checkBodyName(body: KubeObject, name: string): void {
  const bodyName = body.metadata.name;
  if (typeof bodyName === 'string' && bodyName !== '' && bodyName !== name) {
    throw errors.badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${name})`);
  }
}

export function getOrNotFound(env: Env, r: Resolved, namespace: string, name: string): KubeObject {
  const obj = env.store.get(r.key, namespace, name);
  if (!obj) throw errors.notFound(r.name, name);
  return obj;
}
