// The NamespaceLifecycle admission rules of kube-apiserver: new objects need an existing namespace that is
// not being terminated, and the system namespaces cannot be deleted. Custom resources of a CRD that is
// being deleted cannot be created either.
import type { KubeObject } from '../../api/index.js';
import { ApiError, errors } from '../errors.js';
import type { Env } from './env.js';
import { isTerminating } from './object-meta.js';
import { isCore, type Resolved } from './resolve.js';

/** Namespaces kube-apiserver refuses to delete. */
export const immortalNamespaces: readonly string[] = ['default', 'kube-system', 'kube-public'];

const crdKey = 'apiextensions.k8s.io/customresourcedefinitions';

function qualified(r: Resolved): string {
  return r.def.group ? `${r.def.resource}.${r.def.group}` : r.def.resource;
}

export function namespacePhase(ns: KubeObject): string | undefined {
  const status = ns.status as { phase?: unknown } | undefined;
  return typeof status?.phase === 'string' ? status.phase : undefined;
}

export function admitCreate(env: Env, r: Resolved, namespace: string, name: string): void {
  if (r.def.crd) {
    const crd = env.store.get(crdKey, '', r.def.crd);
    if (crd && isTerminating(crd)) {
      throw errors.methodNotAllowed('create not allowed while custom resource definition is terminating');
    }
  }
  if (!r.def.namespaced || !namespace) return;
  const ns = env.store.get('namespaces', '', namespace);
  if (!ns) throw errors.notFound({ group: '', resource: 'namespaces' }, namespace);
  if (isTerminating(ns) || namespacePhase(ns) === 'Terminating') {
    throw new ApiError(403, 'Forbidden',
      `${qualified(r)} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      {
        name, group: r.def.group, kind: r.def.resource,
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
      });
  }
}

export function admitDelete(r: Resolved, name: string): void {
  if (isCore(r, 'namespaces') && immortalNamespaces.includes(name)) {
    throw errors.forbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`, r.name, name);
  }
}
