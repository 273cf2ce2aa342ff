// What a fresh cluster has before anyone asks: the system namespaces and our bundled CRDs. Runs at
// every start; existing objects are left alone unless a bundled CRD changed.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/index.js';
import { isApiError } from './errors.js';
import { builtinRefs, type ObjectAPI } from './objects/index.js';

export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

const { namespaces, crds } = builtinRefs;

export function ensureSystemNamespaces(api: ObjectAPI): void {
  for (const name of systemNamespaces) {
    createIfMissing(api, namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
}

/** Marks an installed CRD with the hash of the bundled file it came from, so a start only rewrites
 *  CRDs whose bundled definition changed (the server adds defaults, so specs can't be compared). */
export const bundleHashAnnotation = 'kubeedge-ts.io/bundle-hash';

/** Installs each bundled CRD, or updates it when the bundled definition changed since it was installed. */
export function installCRDs(api: ObjectAPI, bundled: KubeObject[]): { created: number; updated: number } {
  let created = 0;
  let updated = 0;
  for (const file of bundled) {
    const hash = createHash('sha256').update(JSON.stringify(file)).digest('hex').slice(0, 16);
    const crd = structuredClone(file);
    crd.metadata.annotations = { ...crd.metadata.annotations, [bundleHashAnnotation]: hash };
    const name = crd.metadata.name ?? '';
    const existing = getOrUndefined(api, crds, name);
    if (!existing) {
      api.create(crds, '', crd, { fieldManager: 'cloudcore' });
      created++;
    } else if (existing.metadata.annotations?.[bundleHashAnnotation] !== hash) {
      const metadata = { ...existing.metadata, labels: { ...existing.metadata.labels, ...crd.metadata.labels }, annotations: { ...existing.metadata.annotations, ...crd.metadata.annotations } };
      api.update(crds, '', name, { ...crd, metadata }, { fieldManager: 'cloudcore' });
      updated++;
    }
  }
  return { created, updated };
}

function createIfMissing(api: ObjectAPI, ref: { group: string; resource: string }, namespace: string, obj: KubeObject): void {
  try {
    api.create(ref, namespace, obj, { fieldManager: 'cloudcore' });
  } catch (err) {
    if (!(isApiError(err) && err.code === 409)) throw err;
  }
}

function getOrUndefined(api: ObjectAPI, ref: { group: string; resource: string }, name: string): KubeObject | undefined {
  try {
    return api.get(ref, '', name);
  } catch (err) {
    if (isApiError(err) && err.code === 404) return undefined;
    throw err;
  }
}
