// Credentials for the API server, read with @kubernetes/client-node's KubeConfig so every kubeconfig
// form kubectl accepts works (embedded or file certificates, bearer tokens, exec and auth-provider
// plugins, basic auth, impersonation, insecure-skip-tls-verify, tls-server-name). Proxies
// (proxy-url) are not supported: requests go straight to the server.
import { KubeConfig } from '@kubernetes/client-node';
import type { RequestOptions } from 'node:https';

export interface TlsMaterial {
  ca?: string | Buffer | (string | Buffer)[];
  cert?: string | Buffer | (string | Buffer)[];
  key?: RequestOptions['key'];
  pfx?: RequestOptions['pfx'];
  passphrase?: string;
  rejectUnauthorized?: boolean;
  servername?: string;
}

export interface Credentials {
  server: URL;
  tls: TlsMaterial;
  /** Authorization and impersonation headers; refreshed because exec/OIDC tokens expire. */
  headers(): Promise<Record<string, string>>;
}

/** Headers are re-read this often (ms) so short-lived plugin tokens stay valid. */
const headerRefreshMs = 60_000;

export async function loadCredentials(kubeconfigPath: string, now: () => number = Date.now): Promise<Credentials> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`kubeconfig ${kubeconfigPath}: no current cluster`);
  const first = await applied(kc);
  const tls: TlsMaterial = {};
  for (const k of ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const) {
    if (first[k] !== undefined) (tls as Record<string, unknown>)[k] = first[k];
  }
  let cached = headersOf(first);
  let at = now();
  return {
    server: new URL(cluster.server),
    tls,
    headers: async () => {
      if (now() - at > headerRefreshMs) {
        cached = headersOf(await applied(kc));
        at = now();
      }
      return cached;
    },
  };
}

async function applied(kc: KubeConfig): Promise<RequestOptions> {
  const opts: RequestOptions = { headers: {} };
  await kc.applyToHTTPSOptions(opts);
  // applyToHTTPSOptions also builds an agent per call; we keep our own keep-alive agent instead.
  (opts.agent as { destroy?: () => void } | undefined)?.destroy?.();
  return opts;
}

function headersOf(opts: RequestOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((opts.headers ?? {}) as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
  }
  if (opts.auth) out['Authorization'] = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
  return out;
}
