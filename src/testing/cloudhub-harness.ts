// Test-only helpers for cloudhub's socket tests: certificates, a manual clock and sweep, a recording
// listener, and a minimal edge client speaking KubeEdge's connection protocol over `ws`.
import { WebSocket, type ClientOptions } from 'ws';
import { createSilentLogger, decodeMessage, encodeMessage, newMessage, type Logger, type Message } from '../core/index.js';
import { createCA, issueCertificate, type KeyPairPem } from '../core/pki/index.js';
import { CloudHub, UPSTREAM_ACK_HEADER, UPSTREAM_ACK_VERSION, type CloudHubListener, type CloudHubOptions, type SweepTimers } from '../cloud/cloudhub/index.js';

export interface TestPki {
  ca: KeyPairPem;
  server: KeyPairPem;
  otherCa: KeyPairPem;
}

export async function makePki(): Promise<TestPki> {
  const ca = await createCA('kubeedge-ts-test-ca');
  const server = await issueCertificate(ca, {
    commonName: 'cloudcore',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    usage: 'server',
  });
  return { ca, server, otherCa: await createCA('another-ca') };
}

export function nodeCert(ca: KeyPairPem, node: string, org = ['system:nodes']): Promise<KeyPairPem> {
  return issueCertificate(ca, { commonName: `system:node:${node}`, organization: org, usage: 'client' });
}

export class ManualClock {
  t = 1_700_000_000_000;
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Captures the sweep so a test runs it when it wants. */
export class ManualTimers implements SweepTimers {
  private fn: (() => void) | undefined;
  setInterval(fn: () => void): unknown {
    this.fn = fn;
    return 1;
  }
  clearInterval(): void {
    this.fn = undefined;
  }
  tick(): void {
    this.fn?.();
  }
}

export class RecordingListener implements CloudHubListener {
  readonly events: string[] = [];
  readonly upstream: Message[] = [];
  readonly acks: Message[] = [];
  /** Replaced by tests that want a message refused or failed. */
  apply: (node: string, msg: Message) => Promise<void> = async () => undefined;

  onConnect(node: string): void {
    this.events.push(`connect:${node}`);
  }
  onDisconnect(node: string): void {
    this.events.push(`disconnect:${node}`);
  }
  onKeepalive(node: string): void {
    this.events.push(`keepalive:${node}`);
  }
  async onUpstream(node: string, msg: Message): Promise<void> {
    this.upstream.push(msg);
    await this.apply(node, msg);
  }
  onAck(_node: string, msg: Message): void {
    this.acks.push(msg);
  }
}

export interface HubFixture {
  hub: CloudHub;
  port: number;
  clock: ManualClock;
  timers: ManualTimers;
  listener: RecordingListener;
}

export async function startHub(
  pki: TestPki,
  overrides: Partial<CloudHubOptions> = {},
  log: Logger = createSilentLogger(),
): Promise<HubFixture> {
  const clock = new ManualClock();
  const timers = new ManualTimers();
  const listener = new RecordingListener();
  const hub = new CloudHub({
    listen: { address: '127.0.0.1', port: 0 },
    tls: { caPem: pki.ca.certPem, certPem: pki.server.certPem, keyPem: pki.server.keyPem },
    listener,
    log,
    now: clock.now,
    timers,
    ...overrides,
  });
  const { port } = await hub.start();
  return { hub, port, clock, timers, listener };
}

export interface EdgeOptions {
  cert: KeyPairPem;
  caPem: string;
  node: string;
  /** node_id header; default `node`. */
  nodeIdHeader?: string;
  path?: string;
  upstreamAck?: boolean;
  perMessageDeflate?: ClientOptions['perMessageDeflate'];
}

export class TestEdge {
  readonly received: Message[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  upgradeHeaders: Record<string, string | string[] | undefined> = {};

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.received.push(decodeMessage(data)));
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  send(msg: Message): void {
    this.ws.send(encodeMessage(msg));
  }

  /** Waits until a received message matches (the hub runs on real sockets). */
  async waitFor(pred: (m: Message) => boolean, what = 'message'): Promise<Message> {
    await eventually(() => this.received.some(pred), what);
    return this.received.find(pred) as Message;
  }

  /** Acks a downstream message as an edge does after persisting it. */
  ack(msg: Message): void {
    this.send(
      newMessage({
        source: 'metaManager',
        group: msg.route.group,
        operation: 'response',
        resource: msg.route.resource,
        content: 'OK',
        parentId: msg.header.msg_id,
      }),
    );
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Connects like a KubeEdge edgehub; rejects with the HTTP status or the socket error. */
export async function connectEdge(port: number, o: EdgeOptions): Promise<TestEdge> {
  const headers: Record<string, string> = {
    node_id: o.nodeIdHeader ?? o.node,
    project_id: 'e632aba927ea4ac2b575ec1603d56f10',
    ConnectionUse: 'msg',
  };
  if (o.upstreamAck === true) headers[UPSTREAM_ACK_HEADER] = UPSTREAM_ACK_VERSION;
  const path = o.path ?? `/e632aba927ea4ac2b575ec1603d56f10/${o.node}/events`;
  const ws = new WebSocket(`wss://127.0.0.1:${port}${path}`, {
    ca: o.caPem,
    cert: o.cert.certPem,
    key: o.cert.keyPem,
    headers,
    perMessageDeflate: o.perMessageDeflate ?? false,
  });
  const edge = new TestEdge(ws);
  ws.on('upgrade', (res) => (edge.upgradeHeaders = res.headers));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error(`status ${res.statusCode}`), { status: res.statusCode }));
      res.resume();
    });
    ws.once('error', reject);
  });
  return edge;
}

/** Polls `cond` until true; fails after `limitMs` (a safety net, not a timing assertion). */
export async function eventually(cond: () => boolean, what: string, limitMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A message as a KubeEdge edge sends it upstream. */
export function upstreamMessage(resource: string, content: unknown = {}, operation = 'update'): Message {
  return newMessage({ source: 'edged', group: 'resource', operation, resource, content });
}

export function keepalive(): Message {
  return newMessage({ source: 'websocket', group: 'resource', operation: 'keepalive', resource: 'node', content: 'ping' });
}

