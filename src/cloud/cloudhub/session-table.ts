// The node → state table: attaching a new connection (replacing the node's old one), ending sessions,
// and the one periodic sweep for keepalive timeouts, resends and cleanup (one timer for all nodes,
// instead of KubeEdge's goroutines and timers per session).
import type { WebSocket } from 'ws';
import { pump, resendDue } from './downstream.js';
import type { EdgeIdentity } from './identity.js';
import { NodeState, notify, type HubContext } from './node-state.js';
import { Session, type ByteCounted } from './session.js';
import { handleFrame } from './upstream.js';

/** Close codes (4000–4999 are for applications). */
export const CloseCodes = {
  goingAway: 1001,
  replaced: 4000,
  keepaliveTimeout: 4001,
  nodeForgotten: 4002,
} as const;

export class SessionTable {
  private readonly nodes = new Map<string, NodeState>();
  private connected = 0;

  constructor(private readonly ctx: HubContext) {}

  get connectedCount(): number {
    return this.connected;
  }

  /** The node's state, created on first use (messages may be queued before it connects). */
  state(node: string): NodeState {
    let s = this.nodes.get(node);
    if (s === undefined) {
      s = new NodeState(node, this.ctx.opts);
      this.nodes.set(node, s);
    }
    return s;
  }

  states(): IterableIterator<NodeState> {
    return this.nodes.values();
  }

  isConnected(node: string): boolean {
    return this.nodes.get(node)?.session !== undefined;
  }

  connectedNodes(): string[] {
    const out: string[] = [];
    for (const s of this.nodes.values()) if (s.session !== undefined) out.push(s.node);
    return out;
  }

  /** A reconnect of a connected node is always accepted; a new node only below the limit. */
  canAccept(node: string): boolean {
    return this.connected < this.ctx.opts.nodeLimit || this.isConnected(node);
  }

  attach(identity: EdgeIdentity, ws: WebSocket, socket: ByteCounted): Session {
    const state = this.state(identity.node);
    const old = state.session;
    // onDisconnect(old) fires before onConnect(new), never after (KubeEdge publishes them racily).
    if (old !== undefined) this.end(state, old, CloseCodes.replaced, 'replaced');
    const session = new Session(identity, ws, socket, this.ctx.opts.now());
    state.session = session;
    this.connected += 1;
    ws.on('message', (data) => handleFrame(this.ctx, state, session, toBuffer(data)));
    ws.on('error', (err: Error & { code?: string }) => this.onSocketError(session, err));
    ws.on('close', (code, reason) => this.end(state, session, code, reason.toString()));
    this.ctx.log.info('connected', { node: identity.node, project: identity.projectId, upstreamAck: identity.upstreamAck });
    notify(this.ctx, 'onConnect', identity.node, () => this.ctx.listener.onConnect?.(identity.node));
    pump(this.ctx, state);
    return session;
  }

  /** Ends `session` once: closes it, requeues its unacked messages and fires onDisconnect. */
  end(state: NodeState, session: Session, code: number, reason: string): void {
    if (state.session !== session) {
      session.close(code, reason);
      return;
    }
    session.close(code, reason);
    state.session = undefined;
    this.connected -= 1;
    this.ctx.counters.bytesInClosed += session.bytesRead;
    this.ctx.counters.bytesOutClosed += session.bytesWritten;
    state.ack.requeueAll();
    this.ctx.log.info('disconnected', { node: state.node, code, reason });
    notify(this.ctx, 'onDisconnect', state.node, () => this.ctx.listener.onDisconnect?.(state.node));
  }

  /** One pass over all nodes (every sweepIntervalMs). */
  sweep(now: number): void {
    const { keepaliveTimeoutMs, dedupeTtlMs } = this.ctx.opts;
    for (const [node, state] of this.nodes) {
      const session = state.session;
      if (session !== undefined && now - session.lastSeenAt > keepaliveTimeoutMs) {
        this.ctx.log.warn('keepalive timeout', { node, silentMs: now - session.lastSeenAt });
        this.end(state, session, CloseCodes.keepaliveTimeout, 'keepalive timeout');
      } else if (session !== undefined) {
        resendDue(this.ctx, state, now);
        pump(this.ctx, state);
      }
      state.seen.prune(now - dedupeTtlMs);
      if (state.isIdle()) this.nodes.delete(node);
    }
  }

  /** Drops everything held for `node` (e.g. the Node was deleted) and closes its session. */
  forget(node: string): void {
    const state = this.nodes.get(node);
    if (state === undefined) return;
    if (state.session !== undefined) this.end(state, state.session, CloseCodes.nodeForgotten, 'node removed');
    const ack = state.ack.clear().length;
    const noack = state.noack.clear();
    if (ack > 0) this.ctx.counters.drop('ack', 'forgotten', ack);
    if (noack > 0) this.ctx.counters.drop('noack', 'forgotten', noack);
    this.ctx.log.info('node forgotten', { node, droppedAck: ack, droppedNoAck: noack });
    this.nodes.delete(node);
  }

  /** Ends every session (cloudhub stops). */
  endAll(): void {
    for (const state of this.nodes.values()) {
      if (state.session !== undefined) this.end(state, state.session, CloseCodes.goingAway, 'cloudhub stopping');
    }
  }

  private onSocketError(session: Session, err: Error & { code?: string }): void {
    // ws closes the connection itself (1009) for frames above maxPayload; count it as too_large.
    if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.ctx.counters.reject('too_large');
    this.ctx.log.warn('connection error', { node: session.node, code: err.code, error: err.message });
  }
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
