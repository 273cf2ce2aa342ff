// Sorting of downstream messages before they reach the listener. Pure.
// KubeEdge: viaduct's conn answers control operations (config/ping/pong) itself and hands replies
// with a parent id to its sync keeper; edgehub's meta handler sends messages with a parent id to
// the waiting sync caller (beehive SendResp) and the rest to metamanager.
import { Operations, type Message } from '../../core/index.js';
import { isControlMessage } from './wire.js';

export type DownstreamKind =
  /** config/ping/pong: answer with content "ack". */
  | 'control'
  /** A keepalive echoed by a peer: nothing to do. */
  | 'keepalive'
  /** Carries parent_msg_id: an ack of our outbox, a response to request(), or someone else's reply. */
  | 'reply'
  | 'message';

export function classifyDownstream(msg: Message): DownstreamKind {
  if (isControlMessage(msg)) return 'control';
  if (msg.route.operation === Operations.keepalive) return 'keepalive';
  if (msg.header.parent_msg_id) return 'reply';
  return 'message';
}

/**
 * The last `capacity` outbox ids the cloud settled, so a second ack (after a resend, the cloud
 * acks both copies) is swallowed instead of reaching the listener.
 */
export class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity = 1024) {}

  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next();
      if (!oldest.done) this.ids.delete(oldest.value);
    }
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }
}
