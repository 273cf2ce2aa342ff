// A tiny WSS server standing in for cloudhub in edgehub's tests (not our cloudhub: edge must not
// depend on cloud). Mutual TLS with certificates from core/pki; records connections and frames.
// Used by *.test.ts only.
import https from 'node:https';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import { createCA, issueCertificate, type KeyPairPem } from '../core/pki/index.js';
import { UPSTREAM_ACK_HEADER, UPSTREAM_ACK_VERSION, type TlsMaterial } from '../edge/edgehub/index.js';

export interface FakeConnection {
  ws: WebSocket;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  clientCN: string | undefined;
  /** Text of every data frame received, in order. */
  frames: string[];
  pings: number;
  extensions: string;
}

export interface TestPki {
  ca: KeyPairPem;
  server: KeyPairPem;
  client: KeyPairPem;
  edgeTls: TlsMaterial;
}

export async function makeTestPki(node = 'edge-1'): Promise<TestPki> {
  const ca = await createCA('kubeedge-ts-test-ca');
  const server = await issueCertificate(ca, {
    commonName: 'cloudcore',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    usage: 'server',
  });
  const client = await issueCertificate(ca, {
    commonName: `system:node:${node}`,
    organization: ['system:nodes'],
    usage: 'client',
  });
  return { ca, server, client, edgeTls: { caPem: ca.certPem, certPem: client.certPem, keyPem: client.keyPem } };
}

export interface FakeCloudHubOptions {
  /** Answer the upgrade with the upstream-ack header (a KubeEdge-TS cloudhub). Default true. */
  ackHeader?: boolean;
  /** Accept permessage-deflate. Default true. */
  deflate?: boolean;
  port?: number;
}

export class FakeCloudHub {
  readonly connections: FakeConnection[] = [];
  private constructor(
    private readonly httpsServer: https.Server,
    private readonly wss: WebSocketServer,
  ) {}

  static async start(pki: TestPki, opts: FakeCloudHubOptions = {}): Promise<FakeCloudHub> {
    const httpsServer = https.createServer({
      key: pki.server.keyPem,
      cert: pki.server.certPem,
      ca: pki.ca.certPem,
      requestCert: true,
      rejectUnauthorized: true,
    });
    const deflate = opts.deflate === false ? false : { serverMaxWindowBits: 10, clientMaxWindowBits: 10, threshold: 0 };
    const wss = new WebSocketServer({ server: httpsServer, perMessageDeflate: deflate });
    const hub = new FakeCloudHub(httpsServer, wss);
    if (opts.ackHeader !== false) {
      wss.on('headers', (headers) => headers.push(`${UPSTREAM_ACK_HEADER}: ${UPSTREAM_ACK_VERSION}`));
    }
    wss.on('connection', (ws, req) => hub.accept(ws, req));
    httpsServer.listen(opts.port ?? 0, '127.0.0.1');
    await once(httpsServer, 'listening');
    return hub;
  }

  get address(): string {
    return `127.0.0.1:${(this.httpsServer.address() as AddressInfo).port}`;
  }

  get port(): number {
    return (this.httpsServer.address() as AddressInfo).port;
  }

  last(): FakeConnection {
    const c = this.connections[this.connections.length - 1];
    if (!c) throw new Error('no connection yet');
    return c;
  }

  /** Frames of every connection that parse as JSON messages with this operation. */
  messages(operation?: string): { header: Record<string, unknown>; route: Record<string, string>; content: unknown }[] {
    return this.connections
      .flatMap((c) => c.frames)
      .map((f) => JSON.parse(f) as { header: Record<string, unknown>; route: Record<string, string>; content: unknown })
      .filter((m) => operation === undefined || m.route['operation'] === operation);
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.ws.terminate();
    this.wss.close();
    this.httpsServer.closeAllConnections();
    await new Promise<void>((resolve) => this.httpsServer.close(() => resolve()));
  }

  private accept(ws: WebSocket, req: import('node:http').IncomingMessage): void {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    const conn: FakeConnection = {
      ws,
      url: req.url ?? '',
      headers: req.headers,
      clientCN: peer.subject?.CN === undefined ? undefined : String(peer.subject.CN),
      frames: [],
      pings: 0,
      extensions: ws.extensions,
    };
    ws.on('message', (data) => conn.frames.push(String(data)));
    ws.on('ping', () => (conn.pings += 1));
    this.connections.push(conn);
  }
}

/** Polls `cond` on real time until true or `ms` passed. */
export async function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
