// ConfigMaps, Secrets and service account tokens for podspec, from metamanager: the local copy
// first, then the cloud when connected (metamanager.query). Not found anywhere -> undefined.
import type { Json, ObjectSource, Pod } from '../pod-contracts.js';
import type { PodStore } from './types.js';

const isNotFound = (err: unknown): boolean => err instanceof Error && err.name === 'MetaNotFoundError';

export function createObjectSource(store: PodStore): ObjectSource {
  const read = async (type: string, namespace: string, name: string): Promise<Json | undefined> => {
    const local = store.get(type, namespace, name);
    if (local !== undefined) return local;
    try {
      return await store.query(type, namespace, name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  return {
    configMap: (namespace, name) => read('configmap', namespace, name),
    secret: (namespace, name) => read('secret', namespace, name),
    serviceAccountToken: async (namespace, serviceAccount, audiences, expirationSeconds, pod: Pod) => {
      const content = {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        metadata: { name: serviceAccount, namespace },
        spec: {
          audiences,
          expirationSeconds,
          boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid },
        },
      };
      const answer = await store.query('serviceaccounttoken', namespace, serviceAccount, { content });
      const status = answer['status'];
      const token = typeof status === 'object' && status !== null ? (status as Json)['token'] : undefined;
      const exp = typeof status === 'object' && status !== null ? (status as Json)['expirationTimestamp'] : undefined;
      if (typeof token !== 'string' || token === '') throw new Error(`serviceaccounttoken ${namespace}/${serviceAccount}: answer has no token`);
      return { token, expirationTimestamp: typeof exp === 'string' ? exp : '' };
    },
  };
}
