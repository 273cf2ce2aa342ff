// The certificate service of cloudcore (KubeEdge cloudhub httpserver + pre_server): owns the CA, the
// rotating join token, one-time tokens and cloudcore's serving cert, and serves /ca.crt and /edge.crt.
// All state lives in Secrets of namespace kubeedge, so a restarted or second cloudcore shares it.
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { untilAborted, type Logger, type Service, type ServiceContext } from '../../core/index.js';
import { certDerToPem } from '../../core/pki/index.js';
import type { KubeClient } from '../kube/index.js';
import type { CaMaterial } from './ca-material.js';
import { loadOrCreateCA } from './ca-store.js';
import { handleEdgeCert, type EdgeCertReply, type EdgeCertRequest } from './edge-cert-handler.js';
import { certServerTlsOptions, createCertServer, type AnswerEvent } from './https-server.js';
import { newCertMetrics, snapshotMetrics, type CertMetrics } from './metrics.js';
import { CA_URL_PATH } from './names.js';
import { ensureServerCert } from './server-cert.js';
import { issueOneTimeToken, mintJoinToken, saveJoinToken, sweepOneTimeTokens, type OneTimeToken } from './token-store.js';

const HOUR_MS = 3600 * 1000;
/** A failed token refresh is retried after this long (KubeEdge stops refreshing on the first failure). */
const RETRY_MS = 60 * 1000;

export interface CertServiceDeps {
  kube: KubeClient;
  log: Logger;
  /** Clock in ms since the epoch; default Date.now. Tokens are signed and checked against it. */
  now?: () => number;
  /** How often a new join token is minted (KubeEdge tokenRefreshDuration, 12 h). */
  tokenRefreshMs?: number;
  /** How long each join token is valid (KubeEdge: twice the refresh period, 24 h). */
  tokenTtlMs?: number;
  /** Lifetime of edge certificates in days (KubeEdge edgeCertSigningDuration, 365). */
  edgeCertDays?: number;
  /** IPs or DNS names edge nodes use to reach cloudcore; SANs of the serving cert. */
  advertiseAddresses: string[];
  /** Where /ca.crt and /edge.crt are served (KubeEdge port 10002); port 0 picks a free one. */
  listen: { address: string; port: number };
}

export interface ServerCertPem {
  caPem: string;
  certPem: string;
  keyPem: string;
}

export class CertService implements Service {
  readonly name = 'certs';
  private readonly now: () => number;
  private readonly refreshMs: number;
  private readonly ttlMs: number;
  private readonly counters = newCertMetrics();
  private ca: Promise<CaMaterial> | undefined;
  private serving: Promise<ServerCertPem> | undefined;
  private token: string | undefined;
  private server: Server | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: CertServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.refreshMs = deps.tokenRefreshMs ?? 12 * HOUR_MS;
    this.ttlMs = deps.tokenTtlMs ?? 24 * HOUR_MS;
  }

  /** The CA from kubeedge/casecret, created there if absent. Loaded once. */
  ensureCA(): Promise<CaMaterial> {
    this.ca ??= loadOrCreateCA(this.deps.kube, this.deps.log).catch((err: unknown) => {
      this.ca = undefined;
      throw err;
    });
    return this.ca;
  }

  /** The latest join token this process minted (also in kubeedge/tokensecret). */
  currentToken(): string | undefined {
    return this.token;
  }

  /** Mints a token valid tokenTtlMs and stores it in kubeedge/tokensecret; older ones stay valid until their exp. */
  async rotateToken(): Promise<string> {
    const token = mintJoinToken(await this.ensureCA(), this.now(), this.ttlMs);
    await saveJoinToken(this.deps.kube, token);
    this.token = token;
    this.counters.tokenRotations++;
    this.deps.log.info('token rotated', { validForMs: this.ttlMs });
    return token;
  }

  /** Beyond KubeEdge: a token that signs one certificate, then is spent. Delete its Secret to revoke. */
  async issueOneTimeToken(ttlMs: number): Promise<OneTimeToken> {
    const issued = await issueOneTimeToken(this.deps.kube, await this.ensureCA(), { ttlMs, nowMs: this.now() });
    this.deps.log.info('one-time token issued', { secret: issued.secretName, expiresAt: issued.expiresAt.toISOString() });
    return issued;
  }

  /** cloudcore's serving cert (for cloudhub and this service), from kubeedge/cloudcoresecret. */
  serverCert(): Promise<ServerCertPem> {
    this.serving ??= this.loadServerCert().catch((err: unknown) => {
      this.serving = undefined;
      throw err;
    });
    return this.serving;
  }

  private async loadServerCert(): Promise<ServerCertPem> {
    const ca = await this.ensureCA();
    const pair = await ensureServerCert(this.deps.kube, ca, this.deps.advertiseAddresses, this.now(), this.deps.log);
    return { caPem: certDerToPem(ca.certDer), certPem: pair.certPem, keyPem: pair.keyPem };
  }

  metrics(): CertMetrics {
    return snapshotMetrics(this.counters);
  }

  address(): { address: string; port: number } | undefined {
    const a = this.server?.address() as AddressInfo | null | undefined;
    return a ? { address: a.address, port: a.port } : undefined;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const ca = await this.ensureCA();
    await this.rotateToken();
    const tls = await this.serverCert();
    const server = createCertServer(tls, {
      caDer: () => ca.certDer,
      edgeCert: (req) => this.edgeCert(ca, req),
      onAnswer: (ev) => this.count(ev),
      onTlsError: (err) => {
        this.counters.tlsErrors++;
        this.deps.log.debug('tls handshake failed', { error: err.message });
      },
    }, this.deps.log);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.deps.listen.port, this.deps.listen.address, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.schedule(this.refreshMs);
    this.deps.log.info('ready', { address: this.address() });
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.deps.log.info('stopped');
  }

  async run(ctx: ServiceContext): Promise<void> {
    await this.start();
    ctx.ready();
    await untilAborted(ctx.signal);
    await this.stop();
  }

  private async edgeCert(ca: CaMaterial, req: EdgeCertRequest): Promise<EdgeCertReply> {
    const answer = await handleEdgeCert(req, { ca, kube: this.deps.kube, nowMs: this.now(), certDays: this.deps.edgeCertDays ?? 365 });
    if ('issued' in answer) {
      if (answer.issued === 'token') this.counters.issuedWithToken++;
      else if (answer.issued === 'one_time') this.counters.issuedWithOneTimeToken++;
      else this.counters.issuedForRotation++;
      this.deps.log.info('certificate issued', { node: req.nodeName, via: answer.issued });
    }
    return answer;
  }

  private count(ev: AnswerEvent): void {
    if (ev.path === CA_URL_PATH && ev.status === 200) this.counters.caServed++;
    if (ev.refusal) {
      this.counters.refused[ev.refusal]++;
      // Never the token or the Authorization header: the reason and who asked.
      this.deps.log.warn('refused', { reason: ev.refusal, status: ev.status, node: ev.node, remote: ev.remote });
    }
  }

  /** Periodic work: a new token, one-time token cleanup, and a serving cert check. */
  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.tick().then(
        () => this.server && this.schedule(this.refreshMs),
        (err: unknown) => {
          this.deps.log.warn('token refresh failed', { error: err instanceof Error ? err.message : String(err) });
          if (this.server) this.schedule(RETRY_MS);
        },
      );
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    await this.rotateToken();
    const swept = await sweepOneTimeTokens(this.deps.kube, this.now());
    if (swept > 0) this.deps.log.info('one-time tokens removed', { count: swept });
    const before = await this.serverCert();
    this.serving = undefined;
    const after = await this.serverCert();
    if (after.certPem !== before.certPem) this.server?.setSecureContext(certServerTlsOptions(after));
  }
}
