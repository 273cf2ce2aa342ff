// One hollow edge node: a real WSS connection with its own client certificate, KubeEdge's path and
// headers, registration, keepalives, lease renewals, acks of downstream objects, and reconnects with
// the real edgehub's jittered backoff. No persistence, no pods: it only speaks the link, so thousands
// fit in one process. Kept small on purpose (one object, two timers, one socket per node).
import type { SecureContext } from 'node:tls';
import WebSocket, { type ClientOptions, type RawData } from 'ws';
import { decodeMessage, encodeMessage, type Message } from '../src/core/index.js';
import { BACKOFF_RESET_AFTER_MS, backoffDelay, type BackoffPolicy } from '../src/edge/edgehub/index.js';
import { UPSTREAM_ACK_HEADER, UPSTREAM_ACK_VERSION } from '../src/cloud/cloudhub/types.js';
import {
  ackMessage, classifyDownstream, keepaliveMessage, leaseMessage, registerNodeMessage, replyMessage,
} from './hollow-messages.js';

/** Counters shared by every node of a fleet (one object, mutated in place). */
export interface HollowCounters {
  connects: number;
  registrations: number;
  disconnects: number;
  messagesUp: number;
  messagesDown: number;
  /** UTF-8 bytes of the JSON frames sent / received (before WebSocket framing, deflate and TLS). */
  payloadBytesUp: number;
  payloadBytesDown: number;
  acksSent: number;
  /** Responses to our upstream messages (registration, lease, upstream acks). */
  responses: number;
  decodeErrors: number;
  /** Connection errors by code (ECONNREFUSED, EMFILE, ...). */
  errors: Record<string, number>;
}

export function newCounters(): HollowCounters {
  return { connects: 0, registrations: 0, disconnects: 0, messagesUp: 0, messagesDown: 0, payloadBytesUp: 0, payloadBytesDown: 0, acksSent: 0, responses: 0, decodeErrors: 0, errors: {} };
}

/** Where a node reports; shared by the fleet. */
export interface HollowSink {
  counters: HollowCounters;
  onReady(node: HollowNode): void;
  onDown(node: HollowNode, wasReady: boolean): void;
  /** A downstream object (acked or not); `at` is performance.now() at receipt. */
  onObject(node: string, msg: Message, at: number): void;
}

export interface HollowNodeConfig {
  name: string;
  url: string;
  projectId: string;
  secureContext: SecureContext;
  keepaliveMs: number;
  leaseMs: number;
  backoff: BackoffPolicy;
  random: () => number;
  sink: HollowSink;
}

export type HollowState =
  | { kind: 'idle' }
  | { kind: 'connecting'; attempt: number }
  | { kind: 'registering'; since: number }
  | { kind: 'ready'; since: number }
  | { kind: 'backoff'; attempt: number }
  | { kind: 'stopped' };

/** Client side of permessage-deflate: offer small windows so the cloud can keep both sides cheap. */
const DEFLATE = { clientMaxWindowBits: 10, serverMaxWindowBits: 10, zlibDeflateOptions: { memLevel: 3 }, threshold: 256 } as const;

export class HollowNode {
  state: HollowState = { kind: 'idle' };
  private ws: WebSocket | undefined;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private registerId = '';
  private attempt = 0;
  private openedAt = 0;
  private registered = false;
  /** The cloud answered the upgrade with the upstream-ack header. */
  upstreamAck = false;
  /** Resolves the first time a connection attempt settles (open or fail), for ramped starts. */
  private settled: (() => void) | undefined;

  constructor(readonly c: HollowNodeConfig) {}

  get name(): string { return this.c.name; }

  /** Dials once; resolves when that first attempt opened or failed (reconnects go on by themselves). */
  start(): Promise<void> {
    return new Promise((resolve) => {
      this.settled = resolve;
      this.connect();
    });
  }

  stop(): void {
    this.state = { kind: 'stopped' };
    this.clearTimers();
    clearTimeout(this.retryTimer);
    this.ws?.terminate();
    this.ws = undefined;
    this.settle();
  }

  private settle(): void {
    const s = this.settled;
    this.settled = undefined;
    s?.();
  }

  private connect(): void {
    if (this.state.kind === 'stopped') return;
    this.state = { kind: 'connecting', attempt: this.attempt };
    // ws hands unknown options on to tls.connect; its typings just do not list secureContext.
    const options: ClientOptions & { secureContext: SecureContext } = {
      secureContext: this.c.secureContext,
      headers: { node_id: this.c.name, project_id: this.c.projectId, ConnectionUse: 'msg', [UPSTREAM_ACK_HEADER]: UPSTREAM_ACK_VERSION },
      perMessageDeflate: { ...DEFLATE, zlibDeflateOptions: { ...DEFLATE.zlibDeflateOptions } },
      handshakeTimeout: 15_000,
      maxPayload: 64 * 1024 * 1024,
    };
    const ws = new WebSocket(this.c.url, options);
    this.ws = ws;
    ws.on('upgrade', (res) => { this.upstreamAck = res.headers[UPSTREAM_ACK_HEADER] === UPSTREAM_ACK_VERSION; });
    ws.on('open', () => this.onOpen(ws));
    ws.on('message', (data) => this.onMessage(data));
    ws.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? (err.message.startsWith('Unexpected server response') ? err.message.replace(/\D+/g, 'http_') : 'error');
      const errors = this.c.sink.counters.errors;
      errors[code] = (errors[code] ?? 0) + 1;
    });
    ws.on('close', () => this.onClose(ws));
  }

  private onOpen(ws: WebSocket): void {
    if (ws !== this.ws) return;
    this.c.sink.counters.connects++;
    this.openedAt = Date.now();
    // Spread the fleet's keepalives and leases over their periods instead of sending in lockstep.
    this.keepaliveTimer = setTimeout(() => this.keepalive(), Math.floor(this.c.random() * this.c.keepaliveMs));
    // As edgecore: the node registers once per process run; a reconnect is ready as soon as it is open.
    if (this.registered) {
      this.onRegistered();
    } else {
      this.state = { kind: 'registering', since: this.openedAt };
      const reg = registerNodeMessage(this.c.name);
      this.registerId = reg.header.msg_id;
      this.send(reg);
    }
    this.settle();
  }

  private keepalive(): void {
    // As edgecore: a WebSocket ping with every keepalive, so a half-open link shows as silence.
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.ping();
    this.send(keepaliveMessage());
    this.keepaliveTimer = setTimeout(() => this.keepalive(), this.c.keepaliveMs);
  }

  private lease(): void {
    // As edgecore: a KubeEdge-TS cloud (upstream-ack header) renews the Lease from keepalives.
    if (!this.upstreamAck) this.send(leaseMessage(this.c.name, new Date()));
    this.leaseTimer = setTimeout(() => this.lease(), this.c.leaseMs);
  }

  private send(msg: Message): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const text = encodeMessage(msg);
    const counters = this.c.sink.counters;
    counters.messagesUp++;
    counters.payloadBytesUp += Buffer.byteLength(text);
    ws.send(text);
  }

  private onMessage(data: RawData): void {
    const at = performance.now();
    const counters = this.c.sink.counters;
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
    counters.messagesDown++;
    counters.payloadBytesDown += buf.length;
    let msg: Message;
    try {
      msg = decodeMessage(buf);
    } catch {
      counters.decodeErrors++;
      return;
    }
    switch (classifyDownstream(msg)) {
      case 'response':
        counters.responses++;
        if (msg.header.parent_msg_id === this.registerId && this.state.kind === 'registering') this.onRegistered();
        return;
      case 'reply':
        this.send(replyMessage(msg));
        return;
      case 'ack':
        // A real edge persists before acking; a hollow one has nothing to persist.
        this.send(ackMessage(msg));
        counters.acksSent++;
        this.c.sink.onObject(this.c.name, msg, at);
        return;
      case 'noack':
        this.c.sink.onObject(this.c.name, msg, at);
    }
  }

  private onRegistered(): void {
    this.state = { kind: 'ready', since: Date.now() };
    if (!this.registered) this.c.sink.counters.registrations++;
    this.registered = true;
    this.leaseTimer = setTimeout(() => this.lease(), Math.floor(this.c.random() * this.c.leaseMs));
    this.c.sink.onReady(this);
  }

  private onClose(ws: WebSocket): void {
    if (ws !== this.ws) return;
    this.ws = undefined;
    this.clearTimers();
    this.settle();
    if (this.state.kind === 'stopped') return;
    const wasReady = this.state.kind === 'ready';
    if (this.openedAt > 0) this.c.sink.counters.disconnects++;
    // A link that stayed up long enough counts as healthy: start the backoff over (edgehub's rule).
    this.attempt = this.openedAt > 0 && Date.now() - this.openedAt >= BACKOFF_RESET_AFTER_MS ? 1 : this.attempt + 1;
    this.openedAt = 0;
    this.state = { kind: 'backoff', attempt: this.attempt };
    this.c.sink.onDown(this, wasReady);
    this.retryTimer = setTimeout(() => this.connect(), backoffDelay(this.attempt, this.c.backoff, this.c.random));
  }

  private clearTimers(): void {
    clearTimeout(this.keepaliveTimer);
    clearTimeout(this.leaseTimer);
    this.keepaliveTimer = undefined;
    this.leaseTimer = undefined;
  }
}
