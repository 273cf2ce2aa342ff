// edgehub: the edge end of the cloud link (KubeEdge edge/pkg/edgehub, module name "websocket" on
// the wire). It dials cloudhub with KubeEdge's path and headers, keeps the link alive, hands
// downstream messages to the listener, and carries upstream traffic: best-effort send(), the
// persisted outbox (enqueue), request() and ack(). Beyond KubeEdge: silence detection, jittered
// backoff, and an outbox the cloud acks (see docs/edgehub.md).
import {
  decodeMessage,
  encodeMessage,
  Operations,
  ProtocolError,
  type Logger,
  type Message,
} from '../../core/index.js';
import { classifyDownstream, RecentIds } from './downstream.js';
import { EdgeHubError } from './errors.js';
import { ExpressQueue } from './express-queue.js';
import { zeroCounters, type EdgeHubCounters, type EdgeHubMetrics } from './metrics.js';
import { resolveEdgeHubOptions, type EdgeHubOptions, type ResolvedEdgeHubOptions, type TimerHandle } from './options.js';
import { Outbox } from './outbox.js';
import { OutboxSender } from './outbox-sender.js';
import { PendingRequests } from './pending-requests.js';
import { ReconnectLoop } from './reconnect-loop.js';
import { openSession, type Session, type SessionEvents } from './session.js';
import { TokenBucket } from './token-bucket.js';
import type { EdgeHubPort, LinkState } from './types.js';
import { ackMessage, controlReply } from './wire.js';

export class EdgeHub implements EdgeHubPort {
  private readonly o: Readonly<ResolvedEdgeHubOptions>;
  private readonly log: Logger;
  private readonly loop: ReconnectLoop<Session>;
  private readonly outbox: Outbox;
  private readonly sender: OutboxSender;
  private readonly bucket: TokenBucket;
  private readonly pending: PendingRequests;
  private readonly express = new ExpressQueue();
  private readonly settled = new RecentIds();
  private readonly counters: EdgeHubCounters = zeroCounters();
  private readonly closedBytes = { in: 0, out: 0 };
  private session: Session | undefined;
  private pumpTimer: TimerHandle | undefined;
  private resendTimer: TimerHandle | undefined;
  private readonly sessionEvents: SessionEvents = {
    onFrame: (data) => this.onFrame(data),
    onKeepaliveSent: () => void (this.counters.keepalivesSent += 1),
    onSilence: () => void (this.counters.silenceTimeouts += 1),
  };

  constructor(options: EdgeHubOptions) {
    this.o = resolveEdgeHubOptions(options);
    this.log = this.o.log;
    this.outbox = new Outbox(this.o.db);
    this.sender = new OutboxSender(this.outbox, {
      window: this.o.outboxWindow,
      resendTimeoutMs: this.o.resendTimeoutMs,
      now: this.o.now,
    });
    this.bucket = new TokenBucket(this.o.messageQPS, this.o.messageBurst, this.o.now());
    this.pending = new PendingRequests(this.o.timers);
    this.loop = new ReconnectLoop<Session>(
      {
        connect: (signal) => this.connect(signal),
        serve: (session) => this.serve(session),
        close: (session, reason, graceful) => session.close(reason, graceful),
      },
      { backoff: this.o.backoff, now: this.o.now, timers: this.o.timers, random: this.o.random, log: this.log },
    );
  }

  start(): void {
    this.log.info('starting', { server: this.o.server, node: this.o.nodeName });
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.log.info('stopping');
    await this.loop.stop();
    this.clearTimers();
    this.pending.rejectAll(new EdgeHubError('stopped', 'edgehub stopped'));
    this.log.info('stopped');
  }

  /** Drops the link and redials at once (after a certificate rotation, so the new cert is used). */
  reconnectNow(): void {
    this.log.info('reconnect requested');
    this.loop.reconnectNow();
  }

  state(): LinkState {
    return this.loop.state();
  }

  isConnected(): boolean {
    return this.session?.isOpen() ?? false;
  }

  /**
   * True while connected to a KubeEdge-TS cloudcore (it answered the upgrade with the upstream-ack
   * header). Such a cloud acks upstream messages and renews the node's Lease from keepalives.
   */
  cloudIsKubeEdgeTS(): boolean {
    return (this.session?.isOpen() ?? false) && this.session?.acks === true;
  }

  send(msg: Message): boolean {
    const session = this.session;
    if (!session?.isOpen()) return false;
    if (!this.bucket.tryTake(this.o.now())) {
      this.counters.rateLimited += 1;
      return false;
    }
    this.write(session, encodeMessage(msg));
    return true;
  }

  enqueue(msg: Message): void {
    this.outbox.add(msg, this.o.now());
    this.pump();
  }

  request(msg: Message, timeoutMs: number): Promise<Message> {
    if (!this.session?.isOpen()) {
      return Promise.reject(new EdgeHubError('link_down', 'not connected to cloudhub'));
    }
    const id = msg.header.msg_id;
    const waiting = this.pending.wait(id, timeoutMs);
    waiting.catch(() => this.express.remove(id));
    const text = encodeMessage({ ...msg, header: { ...msg.header, sync: true } });
    if (!this.express.push({ kind: 'request', msgId: id, text })) {
      this.pending.reject(id, new EdgeHubError('queue_full', 'too many upstream messages wait for the rate limit'));
    }
    this.pump();
    return waiting;
  }

  ack(msg: Message): void {
    if (!this.session?.isOpen()) {
      this.counters.acksDropped += 1;
      return;
    }
    const reply = ackMessage(msg, { now: this.o.now });
    if (!this.express.push({ kind: 'ack', msgId: reply.header.msg_id, text: encodeMessage(reply) })) {
      this.counters.acksDropped += 1;
    }
    this.pump();
  }

  /** Rows in the outbox (sent or not) that the cloud has not acked yet. */
  outboxDepth(): number {
    return this.outbox.depth();
  }

  metrics(): EdgeHubMetrics {
    const live = this.session?.bytes() ?? { in: 0, out: 0 };
    return {
      ...this.counters,
      bytesIn: this.closedBytes.in + live.in,
      bytesOut: this.closedBytes.out + live.out,
      outboxDepth: this.outbox.depth(),
      outboxInFlight: this.sender.inFlight(),
      resends: this.sender.resends,
    };
  }

  private async connect(signal: AbortSignal): Promise<Session> {
    try {
      return await openSession(this.o, this.sessionEvents, signal);
    } catch (err) {
      if (!signal.aborted) {
        this.counters.dialFailures += 1;
        this.log.warn('dial failed', { error: err instanceof Error ? err.message : String(err) });
      }
      throw err;
    }
  }

  private async serve(session: Session): Promise<string> {
    this.onConnected(session);
    const reason = await session.done;
    this.onDisconnected(session, reason);
    return reason;
  }

  private onConnected(session: Session): void {
    this.session = session;
    this.counters.connects += 1;
    if (this.counters.connects > 1) this.counters.reconnects += 1;
    this.log.info('connected', { server: this.o.server, upstreamAcks: session.acks });
    session.start();
    this.sender.attach({
      acks: session.acks,
      takeToken: () => this.bucket.tryTake(this.o.now()),
      write: (text, onWritten) => this.write(session, text, onWritten),
    });
    this.safely('onConnected', () => this.o.listener.onConnected?.());
    this.pump();
  }

  private onDisconnected(session: Session, reason: string): void {
    if (this.session === session) this.session = undefined;
    const bytes = session.bytes();
    this.closedBytes.in += bytes.in;
    this.closedBytes.out += bytes.out;
    this.sender.detach();
    this.clearTimers();
    this.counters.acksDropped += this.express.drain().filter((i) => i.kind === 'ack').length;
    this.pending.rejectAll(new EdgeHubError('link_down', `link lost: ${reason}`));
    this.log.warn('disconnected', { reason });
    this.safely('onDisconnected', () => this.o.listener.onDisconnected?.(reason));
  }

  private onFrame(data: Buffer): void {
    this.counters.framesIn += 1;
    let msg: Message;
    try {
      msg = decodeMessage(data, { maxBytes: this.o.maxFrameBytes });
    } catch (err) {
      this.counters.badFrames += 1;
      const code = err instanceof ProtocolError ? err.code : 'unknown';
      this.log.warn('bad frame', { code, bytes: data.byteLength, error: (err as Error).message });
      return;
    }
    switch (classifyDownstream(msg)) {
      case 'control':
        // Like viaduct's conn: answered at once, outside the rate limit.
        if (this.session) this.write(this.session, encodeMessage(controlReply(msg, { now: this.o.now })));
        return;
      case 'keepalive':
        return;
      case 'reply':
        if (this.settleReply(msg)) return;
        break;
      case 'message':
        break;
    }
    this.safely('onDownstream', () => this.o.listener.onDownstream(msg));
  }

  /** An ack of our outbox or a response to request(): true when it was consumed here. */
  private settleReply(msg: Message): boolean {
    const parent = msg.header.parent_msg_id ?? '';
    if (this.pending.resolve(msg)) return true;
    if (this.sender.settle(parent)) {
      this.settled.add(parent);
      if (msg.route.operation === Operations.error) {
        this.counters.rejected += 1;
        this.log.warn('upstream rejected', { msgId: parent, resource: msg.route.resource, reason: String(msg.content) });
      } else {
        this.counters.acked += 1;
      }
      this.pump();
      return true;
    }
    // A second ack for a message resent after a timeout.
    return this.settled.has(parent);
  }

  /** Sends what waits: acks and requests first, then the outbox, as the rate limit allows. */
  private pump(): void {
    const session = this.session;
    if (!session?.isOpen()) return;
    while (this.express.length > 0) {
      if (!this.bucket.tryTake(this.o.now())) return this.schedulePump();
      const item = this.express.shift();
      if (item) this.write(session, item.text);
    }
    if (this.sender.pump() === 'throttled') this.schedulePump();
    this.armResend();
  }

  private schedulePump(): void {
    if (this.pumpTimer !== undefined) return;
    const wait = Math.max(1, this.bucket.msUntilToken(this.o.now()));
    this.pumpTimer = this.o.timers.setTimeout(() => {
      this.pumpTimer = undefined;
      this.pump();
    }, wait);
  }

  /** One timer for the oldest unacked outbox message; when it fires late enough, go back and resend. */
  private armResend(): void {
    if (this.resendTimer !== undefined) return;
    const due = this.sender.nextResendAt();
    if (due === undefined) return;
    this.resendTimer = this.o.timers.setTimeout(() => {
      this.resendTimer = undefined;
      if (this.sender.checkResend()) this.log.info('resending', { inFlightWindow: this.o.outboxWindow });
      this.pump();
    }, Math.max(1, due - this.o.now()));
  }

  private write(session: Session, text: string, onWritten?: (err?: Error) => void): void {
    this.counters.framesOut += 1;
    session.write(text, onWritten);
  }

  private clearTimers(): void {
    if (this.pumpTimer !== undefined) this.o.timers.clearTimeout(this.pumpTimer);
    if (this.resendTimer !== undefined) this.o.timers.clearTimeout(this.resendTimer);
    this.pumpTimer = undefined;
    this.resendTimer = undefined;
  }

  /** Listener callbacks must not break the link. */
  private safely(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error('listener failed', { callback: what, error: err instanceof Error ? err.message : String(err) });
    }
  }
}
