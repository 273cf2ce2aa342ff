// Edge → cloud: one frame in, decided by operation, as KubeEdge's viaduct filterControlMessage and
// cloudhub DispatchUpstream do: keepalive → onKeepalive; ping/pong/config → reply "ack";
// response → ack of a reliable downstream message; everything else → the controllers, in order,
// once per msg_id. Frames that do not decode are counted and skipped; the session stays.
import {
  buildErrorResponse,
  buildResponse,
  Contents,
  decodeMessage,
  encodeMessage,
  Modules,
  Operations,
  ProtocolError,
  type Message,
} from '../../core/index.js';
import { pump } from './downstream.js';
import { notify, type HubContext, type NodeState } from './node-state.js';
import type { Session } from './session.js';
import type { UpstreamRejected } from './types.js';

const CONTROL_OPERATIONS: ReadonlySet<string> = new Set([Operations.ping, Operations.pong, Operations.config]);

export function handleFrame(ctx: HubContext, state: NodeState, session: Session, data: Buffer): void {
  // A frame that arrives while the session is being replaced or closed is ignored; the edge resends.
  if (!session.isOpen) return;
  // Any frame is a sign of life (KubeEdge only counts keepalive messages).
  session.lastSeenAt = ctx.opts.now();
  const msg = decodeFrame(ctx, state.node, data);
  if (msg === undefined) return;
  const op = msg.route.operation;
  if (op === Operations.keepalive) {
    notify(ctx, 'onKeepalive', state.node, () => ctx.listener.onKeepalive?.(state.node));
  } else if (CONTROL_OPERATIONS.has(op)) {
    // viaduct answers control messages with NewRespByMessage(msg, "ack").
    session.write(encodeMessage(buildResponse(msg, Contents.ack)));
  } else if (op === Operations.response) {
    onResponse(ctx, state, msg);
  } else if (op === Operations.error && msg.header.parent_msg_id) {
    onErrorResponse(ctx, state, msg);
  } else {
    acceptUpstream(ctx, state, session, msg);
  }
}

function decodeFrame(ctx: HubContext, node: string, data: Buffer): Message | undefined {
  // Binary frames are decoded too: KubeEdge reads frames with gorilla's ReadJSON, which takes both.
  try {
    return decodeMessage(data, { maxBytes: ctx.opts.maxFrameBytes });
  } catch (err) {
    const reason = err instanceof ProtocolError && err.code === 'too_large' ? 'too_large' : 'malformed';
    ctx.counters.reject(reason);
    ctx.log.warn('frame refused', { node, reason, bytes: data.length, error: (err as Error).message });
    return undefined;
  }
}

function onResponse(ctx: HubContext, state: NodeState, msg: Message): void {
  const parent = msg.header.parent_msg_id;
  const original = parent ? state.ack.ack(parent) : undefined;
  if (original === undefined) {
    // An ack for a superseded or already acked message, or a reply to nothing we asked.
    ctx.log.debug('unmatched response dropped', { node: state.node, parentMsgId: parent });
    return;
  }
  ctx.counters.acks += 1;
  notify(ctx, 'onAck', state.node, () => ctx.listener.onAck?.(state.node, original));
  pump(ctx, state);
}

function onErrorResponse(ctx: HubContext, state: NodeState, msg: Message): void {
  const parent = msg.header.parent_msg_id ?? '';
  // KubeEdge logs an error response and keeps the message queued, so it is resent; an error is not
  // a persisted ack and must not reach onAck (synccontroller would record the version as delivered).
  if (state.ack.has(parent)) {
    ctx.log.warn('edge refused message', { node: state.node, parentMsgId: parent, error: String(msg.content) });
  } else {
    ctx.log.debug('unmatched response dropped', { node: state.node, parentMsgId: parent });
  }
}

function acceptUpstream(ctx: HubContext, state: NodeState, session: Session, msg: Message): void {
  const id = msg.header.msg_id;
  const seen = state.seen.get(id);
  if (seen !== undefined) {
    ctx.counters.duplicates += 1;
    ctx.log.debug('duplicate dropped', { node: state.node, msgId: id, state: seen.kind });
    // A pending original acks when it finishes; a finished one is answered again.
    if (seen.kind === 'ok') reply(ctx, state, msg, undefined);
    else if (seen.kind === 'rejected') reply(ctx, state, msg, seen.reason);
    return;
  }
  const max = ctx.opts.maxUpstreamBacklog;
  if (state.backlog.length >= max * 4) {
    // Pausing the socket is soft (frames already read still arrive); past 4× the edge must resend.
    ctx.counters.reject('overload');
    ctx.log.warn('upstream overload', { node: state.node, backlog: state.backlog.length });
    return;
  }
  state.seen.set(id, { kind: 'pending' }, ctx.opts.now());
  state.backlog.push(msg);
  if (state.backlog.length >= max) session.pauseReading();
  if (!state.draining) void drain(ctx, state);
}

/** Applies the backlog one message at a time: per node in order, nodes concurrently. */
async function drain(ctx: HubContext, state: NodeState): Promise<void> {
  state.draining = true;
  try {
    for (let msg = state.backlog.shift(); msg !== undefined; msg = state.backlog.shift()) {
      await apply(ctx, state, msg);
      if (state.backlog.length <= ctx.opts.maxUpstreamBacklog / 2) state.session?.resumeReading();
    }
  } finally {
    state.draining = false;
  }
}

async function apply(ctx: HubContext, state: NodeState, msg: Message): Promise<void> {
  const id = msg.header.msg_id;
  ctx.counters.upstream += 1;
  try {
    await ctx.listener.onUpstream?.(state.node, msg);
  } catch (err) {
    if (isRejected(err)) {
      ctx.counters.reject(err.reason);
      state.seen.set(id, { kind: 'rejected', reason: err.reason }, ctx.opts.now());
      ctx.log.warn('upstream refused', {
        node: state.node,
        reason: err.reason,
        operation: msg.route.operation,
        resource: msg.route.resource,
        error: err.message,
      });
      reply(ctx, state, msg, err.reason);
      return;
    }
    // Not applied (e.g. the API server is away): forget the id and do not ack, so the edge resends.
    state.seen.delete(id);
    ctx.log.warn('upstream failed', { node: state.node, msgId: id, error: (err as Error).message });
    return;
  }
  state.seen.set(id, { kind: 'ok' }, ctx.opts.now());
  reply(ctx, state, msg, undefined);
}

/**
 * Acks an applied upstream message ("OK") or refuses it (error, content = reason), on the node's
 * current session, when that edge asked for upstream acks. KubeEdge answers from edgecontroller.
 * Queries (header.sync) are answered by the controller itself, so only their refusal is sent here.
 */
function reply(ctx: HubContext, state: NodeState, msg: Message, rejectedReason: string | undefined): void {
  const session = state.session;
  if (session === undefined || !session.identity.upstreamAck) return;
  if (rejectedReason === undefined) {
    if (msg.header.sync === true) return;
    session.write(encodeMessage(buildResponse(msg, Contents.ok, { source: Modules.edgecontroller })));
  } else {
    session.write(encodeMessage(buildErrorResponse(msg, rejectedReason, { source: Modules.edgecontroller })));
  }
}

function isRejected(err: unknown): err is UpstreamRejected {
  return err instanceof Error && err.name === 'UpstreamRejected' && typeof (err as UpstreamRejected).reason === 'string';
}
