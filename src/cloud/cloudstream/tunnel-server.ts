// The tunnel listener (KubeEdge's tunnel port, 10004): WSS with mutual TLS against the KubeEdge CA,
// as cloudhub's. One tunnel per node; a new one replaces the old (its sessions end as lost).
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer } from 'ws';
import type { Logger } from '../../core/index.js';
import { TUNNEL_NODE_HEADER } from '../../core/tunnel/index.js';
import { NodeTunnel } from './node-tunnel.js';
import { tunnelIdentity } from './tunnel-identity.js';

export interface TunnelServerOptions {
  listen: { address: string; port: number };
  tls: { caPem: string; certPem: string; keyPem: string };
  log: Logger;
  /** How often tunnels are pinged; one missed answer cuts the tunnel (default 15 s). */
  pingMs?: number;
  onConnect?: (tunnel: NodeTunnel) => void;
  onDisconnect?: (tunnel: NodeTunnel) => void;
}

export interface TunnelMetrics { connected: number; connects: number; replaced: number; refused: number }

export class TunnelServer {
  readonly #tunnels = new Map<string, NodeTunnel>();
  readonly #server: https.Server;
  readonly #wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 4 * 1024 * 1024 });
  readonly #counters = { connects: 0, replaced: 0, refused: 0 };
  #ping: NodeJS.Timeout | undefined;

  constructor(private readonly o: TunnelServerOptions) {
    this.#server = https.createServer({
      key: o.tls.keyPem, cert: o.tls.certPem, ca: o.tls.caPem,
      requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2', handshakeTimeout: 30_000,
    });
    this.#server.on('request', (_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket', connection: 'close' });
      res.end('the stream tunnel speaks WebSocket only\n');
    });
    this.#server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.#upgrade(req, socket, head));
    this.#server.on('tlsClientError', (err) => o.log.debug('tls handshake failed', { error: err.message }));
  }

  /** The node's tunnel, if it is connected. */
  get(node: string): NodeTunnel | undefined {
    return this.#tunnels.get(node);
  }

  tunnels(): NodeTunnel[] {
    return [...this.#tunnels.values()];
  }

  metrics(): TunnelMetrics {
    return { connected: this.#tunnels.size, ...this.#counters };
  }

  start(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.o.listen.port, this.o.listen.address, () => {
        this.#server.off('error', reject);
        const pingMs = this.o.pingMs ?? 15_000;
        this.#ping = setInterval(() => { for (const t of this.#tunnels.values()) t.heartbeat(); }, pingMs);
        resolve((this.#server.address() as AddressInfo).port);
      });
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.#ping);
    const closing = [...this.#tunnels.values()].map((t) => { t.close(1001, 'cloudstream stopping'); return t.closed; });
    this.#wss.close();
    await Promise.all(closing);
    await new Promise<void>((resolve) => { this.#server.close(() => resolve()); this.#server.closeAllConnections(); });
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const tls = socket as TLSSocket;
    const claimed = req.headers[TUNNEL_NODE_HEADER];
    const id = tunnelIdentity((req.url ?? '').split('?', 1)[0] ?? '', Array.isArray(claimed) ? claimed[0] : claimed,
      tls.authorized ? tls.getPeerCertificate().subject : undefined);
    if (!id.ok) {
      this.#counters.refused++;
      this.o.log.info('tunnel refused', { remote: tls.remoteAddress, detail: id.detail });
      socket.end(`HTTP/1.1 ${id.status} ${id.status === 404 ? 'Not Found' : 'Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const tunnel = new NodeTunnel(id.node, ws, this.o.log);
      const old = this.#tunnels.get(id.node);
      this.#tunnels.set(id.node, tunnel);
      this.#counters.connects++;
      if (old) {
        this.#counters.replaced++;
        old.close(4000, 'replaced by a newer tunnel of the same node');
      }
      this.o.log.info('tunnel connected', { node: id.node, replaced: old !== undefined });
      void tunnel.closed.then(() => {
        if (this.#tunnels.get(id.node) === tunnel) this.#tunnels.delete(id.node);
        this.o.log.info('tunnel disconnected', { node: id.node });
        this.o.onDisconnect?.(tunnel);
      });
      this.o.onConnect?.(tunnel);
    });
  }
}
