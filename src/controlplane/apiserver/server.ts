// startApiServer: the HTTPS server of the embedded control plane. Builds the identity (pki.ts), the
// shared collaborators (context.ts), listens, and writes <dataDir>/admin.kubeconfig.
import { createServer, type Server } from 'node:https';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../../core/log/index.js';
import type { ObjectAPI } from '../objects/index.js';
import { TokenAuthenticator, type TokenVerifier } from './authn.js';
import { authorize as allowAuthenticated, type Authorizer } from './authz.js';
import { defaultMaxRequestBodyBytes } from './body.js';
import type { CatalogView, ServerContext } from './context.js';
import { createRequestListener } from './dispatch.js';
import { defaultMaxInFlight, defaultMaxMutatingInFlight, InFlightLimiter } from './inflight.js';
import { writeKubeconfig } from './kubeconfig.js';
import { OpenApiCache } from './openapi-cache.js';
import { ensureServingCerts, type ServingCerts } from './pki.js';
import { PodStreamRegistry, type PodStreamHandler, type PodStreamSubresource } from './pod-streams.js';
import { serveUpgrade } from './stream-routing.js';
import { defaultVersion, type VersionInfo } from './version.js';
import { defaultMaxWatchBufferBytes, defaultWatchTimeoutMs, WatchSet } from './watch.js';

export interface ApiServerOptions {
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** 0 = an ephemeral port. */
  port: number;
  dataDir: string;
  api: ObjectAPI;
  catalog: CatalogView;
  log: Logger;
  /** An extra address clients dial (added to the serving certificate). */
  advertiseAddress?: string;
  /** More DNS names / IPs for the serving certificate. */
  extraSANs?: string[];
  /** Default 3 MiB. */
  maxRequestBodyBytes?: number;
  /** Non-mutating, non-long-running requests in flight; default 400. */
  maxInFlight?: number;
  /** Mutating requests in flight; default 200. */
  maxMutatingInFlight?: number;
  /** A watcher with more than this queued is cut off; default 16 MiB. */
  maxWatchBufferBytes?: number;
  version?: Partial<VersionInfo>;
  /** Extra bearer-token verifiers (bootstrap or node tokens), tried after the static token file. */
  tokenAuthenticators?: TokenVerifier[];
  /** Replaces the allow-all-authenticated policy (node authorization comes later). */
  authorizer?: Authorizer;
}

export interface ApiServer {
  url: string;
  port: number;
  caPem: string;
  adminKubeconfigPath: string;
  /** The admin bearer token (also in <dataDir>/pki/tokens.csv). */
  adminToken: string;
  /** Static bearer tokens; later issues add node or bootstrap tokens here. */
  tokens: TokenAuthenticator;
  registerPodSubresource(name: PodStreamSubresource, handler: PodStreamHandler): void;
  close(): Promise<void>;
}

const wildcard = new Set(['0.0.0.0', '::', '']);

function servingHosts(o: ApiServerOptions, host: string): string[] {
  return [
    '127.0.0.1', '::1', 'localhost', hostname(),
    'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local',
    ...(wildcard.has(host) ? [] : [host]),
    ...(o.advertiseAddress ? [o.advertiseAddress] : []),
    ...(o.extraSANs ?? []),
  ];
}

/** What clients on this machine dial: loopback unless we listen on one specific other address. */
function clientHost(host: string): string {
  if (wildcard.has(host) || host === '127.0.0.1' || host === 'localhost') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function buildContext(o: ApiServerOptions, tokens: TokenAuthenticator, isReady: () => boolean): ServerContext {
  return {
    api: o.api,
    catalog: o.catalog,
    log: o.log,
    streams: new PodStreamRegistry(),
    watches: new WatchSet(),
    limiter: new InFlightLimiter(o.maxInFlight ?? defaultMaxInFlight, o.maxMutatingInFlight ?? defaultMaxMutatingInFlight),
    tokenVerifiers: [tokens, ...(o.tokenAuthenticators ?? [])],
    authorize: o.authorizer ?? allowAuthenticated,
    openapi: new OpenApiCache(o.catalog),
    version: { ...defaultVersion(), ...o.version },
    maxRequestBodyBytes: o.maxRequestBodyBytes ?? defaultMaxRequestBodyBytes,
    maxWatchBufferBytes: o.maxWatchBufferBytes ?? defaultMaxWatchBufferBytes,
    defaultWatchTimeoutMs: () => defaultWatchTimeoutMs(),
    isReady,
  };
}

/** The HTTPS server and the set of its open sockets (upgraded exec sessions included). */
function createHttpsServer(ctx: ServerContext, certs: ServingCerts): { server: Server; sockets: Set<Socket> } {
  const server = createServer({
    key: certs.serving.keyPem,
    cert: certs.serving.certPem,
    ca: [certs.ca.certPem],
    // Ask for a client certificate but let token clients in; authn.ts checks `socket.authorized`.
    requestCert: true,
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2',
  });
  server.keepAliveTimeout = 65_000;
  server.on('request', createRequestListener(ctx));
  server.on('upgrade', (req, socket, head: Buffer) => serveUpgrade(ctx, req, socket, head));
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return { server, sockets };
}

export async function startApiServer(o: ApiServerOptions): Promise<ApiServer> {
  const host = o.host ?? '127.0.0.1';
  const certs = await ensureServingCerts(o.dataDir, servingHosts(o, host));
  const tokens = await TokenAuthenticator.fromFile(certs.tokensPath);
  let ready = true;
  const ctx = buildContext(o, tokens, () => ready);
  const { server, sockets } = createHttpsServer(ctx, certs);
  let port: number;
  try {
    port = await listen(server, o.port, host);
  } catch (err) {
    ctx.openapi.close();
    throw err;
  }
  const url = `https://${clientHost(host)}:${port}`;
  const adminKubeconfigPath = join(o.dataDir, 'admin.kubeconfig');
  await writeKubeconfig(adminKubeconfigPath, { server: url, caPem: certs.ca.certPem, clientCertPem: certs.admin.certPem, clientKeyPem: certs.admin.keyPem });
  o.log.info('ready', { url, kubeconfig: adminKubeconfigPath });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      ready = false;
      ctx.watches.endAll();
      ctx.openapi.close();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    }).then(() => o.log.info('stopped'));
    return closing;
  };
  return {
    url, port, caPem: certs.ca.certPem, adminKubeconfigPath, adminToken: certs.adminToken, tokens,
    registerPodSubresource: (name, handler) => ctx.streams.register(name, handler),
    close,
  };
}
