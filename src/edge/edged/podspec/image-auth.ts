// Registry credentials for an image from the pod's imagePullSecrets (kubernetes.io/dockerconfigjson
// and kubernetes.io/dockercfg), matched like kubelet's credentialprovider keyring: registry host
// (with '*' globs per label), port, then path prefix; the most specific entry comes first.
import type { AuthConfig } from '../../runtime/types.js';
import type { Json, Pod } from '../pod-contracts.js';
import { dockerHubDomain, parseImageReference } from './image-name.js';
import { obj, objs, str } from './json-fields.js';

interface Entry { host: string; port: string; path: string; auth: AuthConfig }

const dockerHubAliases = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

function parseKey(key: string): { host: string; port: string; path: string } {
  const noScheme = key.replace(/^[a-z]+:\/\//i, '');
  const slash = noScheme.indexOf('/');
  const hostPort = slash < 0 ? noScheme : noScheme.slice(0, slash);
  let path = slash < 0 ? '' : noScheme.slice(slash + 1).replace(/\/+$/, '');
  const colon = hostPort.lastIndexOf(':');
  const host = (colon < 0 ? hostPort : hostPort.slice(0, colon)).toLowerCase();
  const port = colon < 0 ? '' : hostPort.slice(colon + 1);
  // https://index.docker.io/v1/ is Docker Hub's legacy key: its "v1" is an API path, not a repository.
  if (dockerHubAliases.has(host) && path === 'v1') path = '';
  return { host: dockerHubAliases.has(host) ? dockerHubDomain : host, port, path };
}

function authOf(value: Json, serverAddress: string): AuthConfig {
  const out: AuthConfig = { serverAddress };
  const username = str(value['username']);
  const password = str(value['password']);
  const auth = str(value['auth']);
  if (auth) {
    out.auth = auth;
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i >= 0 && !username) { out.username = decoded.slice(0, i); out.password = decoded.slice(i + 1); }
  }
  if (username) out.username = username;
  if (password) out.password = password;
  const identityToken = str(value['identitytoken']) ?? str(value['identityToken']);
  if (identityToken) out.identityToken = identityToken;
  const registryToken = str(value['registrytoken']) ?? str(value['registryToken']);
  if (registryToken) out.registryToken = registryToken;
  return out;
}

function secretEntries(secret: Json): Entry[] {
  const type = str(secret['type']);
  const data = obj(secret['data']);
  const field = type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
  const raw = str(data[field]);
  if ((type !== 'kubernetes.io/dockerconfigjson' && type !== 'kubernetes.io/dockercfg') || !raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    return [];
  }
  const auths = field === '.dockercfg' ? obj(parsed) : obj(obj(parsed)['auths']);
  return Object.entries(auths).map(([key, value]) => ({ ...parseKey(key), auth: authOf(obj(value), key) }));
}

function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.split('.');
  const h = host.split('.');
  if (p.length !== h.length) return false;
  return p.every((label, i) => new RegExp(`^${label.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^.]*')}$`).test(h[i] ?? ''));
}

function matches(entry: Entry, image: string): boolean {
  const ref = parseImageReference(image);
  const colon = ref.domain.lastIndexOf(':');
  const host = colon < 0 || ref.domain.endsWith(']') ? ref.domain : ref.domain.slice(0, colon);
  const port = colon < 0 || ref.domain.endsWith(']') ? '' : ref.domain.slice(colon + 1);
  if (!hostMatches(entry.host, host.toLowerCase()) || entry.port !== port) return false;
  return entry.path === '' || ref.path === entry.path || ref.path.startsWith(`${entry.path}/`);
}

/**
 * Credentials from the pod's imagePullSecrets (secrets not named there, or of another namespace,
 * are ignored). With `image`, only entries for its registry, most specific first; without, all.
 */
export function imagePullAuth(pod: Pod, secrets: Json[], image?: string): AuthConfig[] {
  const names = new Set(objs(pod.spec['imagePullSecrets']).map((s) => str(s['name']) ?? ''));
  const entries = secrets
    .filter((s) => names.has(str(obj(s['metadata'])['name']) ?? '') && (str(obj(s['metadata'])['namespace']) ?? pod.metadata.namespace) === pod.metadata.namespace)
    .flatMap(secretEntries);
  if (image === undefined) return entries.map((e) => e.auth);
  let ok: Entry[];
  try {
    ok = entries.filter((e) => matches(e, image));
  } catch {
    return [];
  }
  const specificity = (e: Entry): number => (e.host.includes('*') ? 0 : 1000) + e.path.length;
  return ok.sort((a, b) => specificity(b) - specificity(a)).map((e) => e.auth);
}
