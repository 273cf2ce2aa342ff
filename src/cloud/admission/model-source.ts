// DeviceModels read from the API server with @kubernetes/client-node (CustomObjectsApi), on every Device
// review: a cache would let a device through against a model that has just changed. The kubeconfig is
// --kubeconfig, else client-node's default search (KUBECONFIG, ~/.kube/config, then the in-cluster
// service account, which is what the Deployment in deploy/admission uses). --master overrides the server,
// as in KubeEdge's admission.
import { ApiException, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { DEVICES_GROUP, DEVICES_VERSION, type DeviceModel } from '../../api/index.js';
import { ModelLookupError, type ModelSource } from './admit.js';

/** Per lookup; below the API server's default webhook timeout (10 s) so the denial reaches the user. */
export const DEFAULT_LOOKUP_TIMEOUT_MS = 5_000;

export function loadKubeConfig(opts: { kubeconfig?: string; master?: string }): KubeConfig {
  const kc = new KubeConfig();
  if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
  else kc.loadFromDefault();
  const master = opts.master;
  const current = kc.getCurrentCluster();
  if (master && current) {
    kc.loadFromOptions({
      clusters: kc.getClusters().map((c) => (c.name === current.name ? { ...c, server: master } : c)),
      users: kc.getUsers(),
      contexts: kc.getContexts(),
      currentContext: kc.getCurrentContext(),
    });
  }
  return kc;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the API server within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A ModelSource over the API server; a 404 is "no such model", any other failure a ModelLookupError. */
export function kubeModelSource(kc: KubeConfig, opts: { timeoutMs?: number } = {}): ModelSource {
  const api = kc.makeApiClient(CustomObjectsApi);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS;
  return {
    async get(namespace, name) {
      try {
        const obj: unknown = await withTimeout(
          api.getNamespacedCustomObject({ group: DEVICES_GROUP, version: DEVICES_VERSION, namespace, plural: 'devicemodels', name }),
          timeoutMs,
        );
        return obj as DeviceModel;
      } catch (err) {
        if (err instanceof ApiException && err.code === 404) return undefined;
        const code = err instanceof ApiException ? err.code : undefined;
        throw new ModelLookupError(namespace, name, code, code === undefined ? err : new Error(apiMessage(err as ApiException<unknown>)));
      }
    },
  };
}

/** The Status message of a failed call (e.g. a 403 from RBAC), not client-node's whole dump of headers. */
function apiMessage(err: ApiException<unknown>): string {
  let body: unknown = err.body;
  if (typeof body === 'string') {
    try { body = JSON.parse(body); } catch { /* plain text */ }
  }
  const message = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : body;
  return `HTTP ${err.code}${typeof message === 'string' && message !== '' ? `: ${message}` : ''}`;
}
