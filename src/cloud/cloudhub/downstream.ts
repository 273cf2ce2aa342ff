// Cloud → edge: queueing (KubeEdge's enqueueAckMessage / enqueueNoAckMessage) and writing to the
// node's session. Reliable messages go out within the ack window and are resent with backoff from
// the sweep; no-ack messages go out as soon as the socket has room.
import { encodeMessage, type Message } from '../../core/index.js';
import type { HubContext, NodeState } from './node-state.js';
import type { DownstreamOptions } from './types.js';

export function enqueueDownstream(ctx: HubContext, state: NodeState, msg: Message, opts: DownstreamOptions): void {
  const hasRoom = (): boolean => state.queued < ctx.opts.maxQueuePerNode || dropOldestNoAck(ctx, state);
  if (opts.reliable) {
    const result = state.ack.add(msg, opts.objectUID, hasRoom);
    if (result.kind === 'full') {
      ctx.counters.drop('ack', 'queue_full');
      ctx.log.warn('queue full', { node: state.node, queue: 'ack', resource: msg.route.resource, msgId: msg.header.msg_id });
    } else if (result.kind === 'stale') {
      ctx.counters.drop('ack', 'stale');
      ctx.log.debug('stale message dropped', { node: state.node, resource: msg.route.resource, rv: msg.header.resourceversion });
    } else if (result.kind === 'replaced') {
      ctx.counters.drop('ack', 'superseded');
    }
  } else if (hasRoom()) {
    state.noack.push(encodeMessage(msg));
  } else {
    ctx.counters.drop('noack', 'queue_full');
    ctx.log.warn('queue full', { node: state.node, queue: 'noack', resource: msg.route.resource });
  }
  pump(ctx, state);
}

/** Overflow policy: the oldest no-ack message goes first; reliable ones are never dropped for room. */
function dropOldestNoAck(ctx: HubContext, state: NodeState): boolean {
  if (state.noack.shift() === undefined) return false;
  ctx.counters.drop('noack', 'queue_full');
  ctx.log.warn('queue full', { node: state.node, queue: 'noack', dropped: 'oldest' });
  return true;
}

/** Writes what may be written now: queued no-ack frames, then reliable ones within the window. */
export function pump(ctx: HubContext, state: NodeState): void {
  const session = state.session;
  if (session === undefined) return;
  while (state.noack.size > 0 && session.canWrite()) {
    const text = state.noack.shift();
    if (text !== undefined) session.write(text);
  }
  if (!session.canWrite()) return;
  for (const entry of state.ack.takeSendable(ctx.opts.now())) session.write(entry.text);
}

/** Called from the sweep: resends reliable messages whose ack is overdue. */
export function resendDue(ctx: HubContext, state: NodeState, now: number): void {
  const session = state.session;
  if (session === undefined || !session.canWrite()) return;
  for (const entry of state.ack.dueResends(now)) {
    session.write(entry.text);
    ctx.counters.resends += 1;
    ctx.log.debug('resend', { node: state.node, msgId: entry.msg.header.msg_id, attempt: entry.sends });
  }
}
