// The admin kubeconfig: what kubectl and @kubernetes/client-node read unchanged. Certificates are
// embedded (…-data fields) so the file works when copied elsewhere.
import { writeFile, rename } from 'node:fs/promises';
import { stringify } from 'yaml';

export interface KubeconfigInput {
  server: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  clusterName?: string;
  userName?: string;
}

const b64 = (pem: string): string => Buffer.from(pem, 'utf8').toString('base64');

export function renderKubeconfig(k: KubeconfigInput): string {
  const cluster = k.clusterName ?? 'kubeedge-ts';
  const user = k.userName ?? 'kubernetes-admin';
  const context = `${user}@${cluster}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: k.server, 'certificate-authority-data': b64(k.caPem) } }],
    users: [{ name: user, user: { 'client-certificate-data': b64(k.clientCertPem), 'client-key-data': b64(k.clientKeyPem) } }],
    contexts: [{ name: context, context: { cluster, user } }],
    'current-context': context,
    preferences: {},
  });
}

/** Writes atomically (temp file + rename) with mode 0600: it holds the admin key. */
export async function writeKubeconfig(path: string, k: KubeconfigInput): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, renderKubeconfig(k), { mode: 0o600 });
  await rename(tmp, path);
}
