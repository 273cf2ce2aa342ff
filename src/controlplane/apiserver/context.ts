// What every handler gets: the server-wide collaborators (built once in startApiServer, no module
// state) and the per-request scope.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../core/log/index.js';
import { errors } from '../errors.js';
import type { ObjectAPI, UserInfo } from '../objects/index.js';
import type { Catalog } from '../registry/index.js';
import type { TokenVerifier } from './authn.js';
import type { Authorizer } from './authz.js';
import type { InFlightLimiter } from './inflight.js';
import type { OpenApiCache } from './openapi-cache.js';
import type { PodStreamRegistry } from './pod-streams.js';
import type { VersionInfo } from './version.js';
import type { WatchSet } from './watch.js';

/** The parts of the registry's Catalog the server reads. */
export type CatalogView = Pick<Catalog, 'all' | 'get' | 'groups' | 'onChange'>;

export interface ServerContext {
  api: ObjectAPI;
  catalog: CatalogView;
  log: Logger;
  streams: PodStreamRegistry;
  watches: WatchSet;
  limiter: InFlightLimiter;
  tokenVerifiers: readonly TokenVerifier[];
  authorize: Authorizer;
  openapi: OpenApiCache;
  version: VersionInfo;
  maxRequestBodyBytes: number;
  maxWatchBufferBytes: number;
  /** ms for a watch without ?timeoutSeconds. */
  defaultWatchTimeoutMs: () => number;
  /** False once the server is shutting down (readyz fails). */
  isReady: () => boolean;
}

export interface RequestScope {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  url: URL;
  query: URLSearchParams;
  user: UserInfo;
  pretty: boolean;
}

/** ?pretty=true, or a human-looking client (kube-apiserver pretty-prints for curl, wget and browsers). */
export function wantsPretty(req: IncomingMessage, query: URLSearchParams): boolean {
  const p = query.get('pretty');
  if (p !== null) return p === 'true' || p === '1' || p === '';
  const ua = req.headers['user-agent'] ?? '';
  return ua.startsWith('curl/') || ua.startsWith('Wget/') || ua.startsWith('Mozilla/');
}

/** The request target as a URL; `//x/y` stays a path (not a protocol-relative host). */
export function requestUrl(req: IncomingMessage): URL {
  const target = req.url ?? '/';
  try {
    return new URL(target.startsWith('/') ? `https://localhost${target}` : target);
  } catch {
    throw errors.badRequest('malformed request URL');
  }
}
