// Reading and writing the Secrets of namespace `kubeedge` through the KubeClient. Secret data is
// base64 in the API; these helpers speak bytes.
import type { KubeObject } from '../../api/index.js';
import { KubeError, Resources, type KubeClient } from '../kube/index.js';
import { CERTS_NAMESPACE } from './names.js';

export interface SecretSpec {
  name: string;
  data: Record<string, Uint8Array | string>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A v1 Secret of type Opaque in namespace kubeedge, as KubeEdge creates them. */
export function secretObject(spec: SecretSpec): KubeObject {
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.data)) data[k] = Buffer.from(v).toString('base64');
  const metadata: KubeObject['metadata'] = { name: spec.name, namespace: CERTS_NAMESPACE };
  if (spec.labels) metadata.labels = spec.labels;
  if (spec.annotations) metadata.annotations = spec.annotations;
  return { apiVersion: 'v1', kind: 'Secret', metadata, type: 'Opaque', data };
}

/** The bytes of data[key], or undefined when the key is absent or empty. */
export function secretBytes(secret: KubeObject | undefined, key: string): Uint8Array | undefined {
  const data = secret?.['data'] as Record<string, unknown> | undefined;
  const b64 = data?.[key];
  if (typeof b64 !== 'string' || b64 === '') return undefined;
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

export function getSecret(kube: KubeClient, name: string): Promise<KubeObject | undefined> {
  return kube.get(Resources.secrets, CERTS_NAMESPACE, name);
}

/** Creates namespace kubeedge unless it exists (a second cloudcore racing us is fine). */
export async function ensureNamespace(kube: KubeClient): Promise<void> {
  if (await kube.get(Resources.namespaces, null, CERTS_NAMESPACE)) return;
  try {
    await kube.create(Resources.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: CERTS_NAMESPACE } });
  } catch (err) {
    if (!(err instanceof KubeError && err.status === 409)) throw err;
  }
}

/**
 * Creates the Secret, or returns the one that is already there: whoever created it first wins, so
 * two cloudcores end up with the same CA.
 */
export async function createOrAdopt(kube: KubeClient, spec: SecretSpec): Promise<{ secret: KubeObject; created: boolean }> {
  try {
    return { secret: await kube.create(Resources.secrets, secretObject(spec)), created: true };
  } catch (err) {
    if (!(err instanceof KubeError && err.status === 409)) throw err;
  }
  const existing = await getSecret(kube, spec.name);
  if (!existing) throw new KubeError(409, 'Conflict', `secret ${CERTS_NAMESPACE}/${spec.name} exists but cannot be read`);
  return { secret: existing, created: false };
}

/** Create or overwrite (KubeEdge's SaveSecret); retries a lost update race a few times. */
export async function saveSecret(kube: KubeClient, spec: SecretSpec): Promise<KubeObject> {
  for (let attempt = 0; ; attempt++) {
    const current = await getSecret(kube, spec.name);
    try {
      if (!current) return await kube.create(Resources.secrets, secretObject(spec));
      const next = secretObject(spec);
      next.metadata.resourceVersion = current.metadata.resourceVersion;
      return await kube.update(Resources.secrets, next);
    } catch (err) {
      const conflict = err instanceof KubeError && (err.status === 409 || err.status === 404);
      if (!conflict || attempt >= 4) throw err;
    }
  }
}
