// cloudhub: the cloud end of the cloud–edge link (KubeEdge cloud/pkg/cloudhub). One WSS server with
// mutual TLS, one session per node, per-node ack and no-ack queues, and one sweep timer.
import type https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { LifecycleWords, type Message } from '../../core/index.js';
import { enqueueDownstream } from './downstream.js';
import { CloudHubError } from './errors.js';
import { checkIdentity, type PeerSubject } from './identity.js';
import { CloudHubCounters, formatMetricsText, type CloudHubMetrics } from './metrics.js';
import type { HubContext } from './node-state.js';
import { resolveOptions, type CloudHubOptions, type ResolvedOptions } from './options.js';
import { SessionTable } from './session-table.js';
import { createHubServer, WebSocketServers, writeAndClose } from './transport.js';
import type { CloudHubSender, DownstreamOptions } from './types.js';

const STOP_GRACE_MS = 1_000;

type HubState =
  | { kind: 'new' }
  | { kind: 'running'; server: https.Server; wss: WebSocketServers; sweep: unknown; port: number }
  | { kind: 'stopped' };

export class CloudHub implements CloudHubSender {
  private readonly opts: ResolvedOptions;
  private readonly ctx: HubContext;
  private readonly counters = new CloudHubCounters();
  private readonly table: SessionTable;
  private state: HubState = { kind: 'new' };
  /** Upgraded sockets, so stop() can cut those whose peer never answers the close frame. */
  private readonly sockets = new Set<Duplex>();

  constructor(options: CloudHubOptions) {
    this.opts = resolveOptions(options);
    this.ctx = { opts: this.opts, log: options.log, counters: this.counters, listener: options.listener };
    this.table = new SessionTable(this.ctx);
  }

  /** Listens; resolves with the bound port (useful with port 0). */
  async start(): Promise<{ port: number }> {
    if (this.state.kind !== 'new') throw new CloudHubError('bad_option', `cloudhub cannot start when ${this.state.kind}`);
    this.ctx.log.info(LifecycleWords.starting, { address: this.opts.address, port: this.opts.port });
    const wss = new WebSocketServers(this.opts);
    const server = createHubServer(this.opts, {
      upgrade: (req, socket, head) => this.onUpgrade(wss, req, socket, head),
      rejected: (reason, fields) => {
        this.counters.reject(reason);
        this.ctx.log.warn('connection refused', { reason, ...fields });
      },
    });
    const port = await listen(server, this.opts.address, this.opts.port);
    const sweep = this.opts.timers.setInterval(() => this.table.sweep(this.opts.now()), this.opts.sweepIntervalMs);
    this.state = { kind: 'running', server, wss, sweep, port };
    this.ctx.log.info(LifecycleWords.ready, { address: this.opts.address, port });
    return { port };
  }

  /** Closes every session (onDisconnect fires for each) and the listener. */
  async stop(): Promise<void> {
    const st = this.state;
    this.state = { kind: 'stopped' };
    if (st.kind !== 'running') return;
    this.ctx.log.info(LifecycleWords.stopping);
    this.opts.timers.clearInterval(st.sweep);
    this.table.endAll();
    st.wss.close();
    const closed = new Promise<void>((resolve) => st.server.close(() => resolve()));
    st.server.closeAllConnections();
    // ws waits up to 30 s for a dead peer's close frame; give live peers a moment, then cut.
    const cut = setTimeout(() => {
      for (const socket of this.sockets) socket.destroy();
    }, STOP_GRACE_MS);
    await closed;
    clearTimeout(cut);
    this.ctx.log.info(LifecycleWords.stopped);
  }

  send(node: string, msg: Message, opts: DownstreamOptions): void {
    enqueueDownstream(this.ctx, this.table.state(node), msg, opts);
  }

  isConnected(node: string): boolean {
    return this.table.isConnected(node);
  }

  connectedNodes(): string[] {
    return this.table.connectedNodes();
  }

  /** Drops the node's queues and closes its session (its Node object was deleted). */
  forgetNode(node: string): void {
    this.table.forget(node);
  }

  metrics(): CloudHubMetrics {
    let ack = 0;
    let noack = 0;
    let bytesIn = this.counters.bytesInClosed;
    let bytesOut = this.counters.bytesOutClosed;
    for (const s of this.table.states()) {
      ack += s.ack.size;
      noack += s.noack.size;
      if (s.session !== undefined) {
        bytesIn += s.session.bytesRead;
        bytesOut += s.session.bytesWritten;
      }
    }
    const c = this.counters;
    return {
      connectedNodes: this.table.connectedCount,
      queueDepth: { ack, noack },
      resendsTotal: c.resends,
      bytesInTotal: bytesIn,
      bytesOutTotal: bytesOut,
      duplicatesTotal: c.duplicates,
      acksTotal: c.acks,
      upstreamTotal: c.upstream,
      rejectedTotal: Object.fromEntries(c.rejected),
      droppedTotal: { ack: Object.fromEntries(c.dropped.ack), noack: Object.fromEntries(c.dropped.noack) },
    };
  }

  metricsText(): string {
    return formatMetricsText(this.metrics());
  }

  private onUpgrade(wss: WebSocketServers, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const tlsSocket = socket as TLSSocket;
    const result = checkIdentity({ url: req.url ?? '', headers: req.headers, subject: peerSubject(tlsSocket) });
    if (!result.ok) {
      this.refuse(socket, result.status, result.reason, { detail: result.detail, nodeId: req.headers['node_id'] });
      return;
    }
    const { identity } = result;
    if (!this.table.canAccept(identity.node)) {
      this.refuse(socket, 503, 'node_limit', { node: identity.node, limit: this.opts.nodeLimit });
      return;
    }
    wss.pick(req, this.table.connectedCount).handleUpgrade(req, socket, head, (ws) => {
      // Checked again: another upgrade may have filled the last place meanwhile.
      if (this.state.kind !== 'running' || !this.table.canAccept(identity.node)) {
        this.counters.reject('node_limit');
        ws.close(1013, 'node limit');
        return;
      }
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      this.table.attach(identity, ws, tlsSocket);
    });
  }

  private refuse(socket: Duplex, status: number, reason: string, fields: Record<string, unknown>): void {
    this.counters.reject(reason);
    this.ctx.log.warn('upgrade refused', { reason, status, ...fields });
    writeAndClose(socket, status, reason);
  }
}

function peerSubject(socket: TLSSocket): PeerSubject | undefined {
  if (socket.authorized !== true || typeof socket.getPeerCertificate !== 'function') return undefined;
  const cert = socket.getPeerCertificate();
  return cert.subject === undefined ? undefined : (cert.subject as unknown as PeerSubject);
}

function listen(server: https.Server, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(new CloudHubError('listen_failed', `cloudhub cannot listen on ${address}:${port}: ${err.message}`, { cause: err }));
    server.once('error', onError);
    server.listen(port, address, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
