// Everything cloudhub keeps for one node across its connections: the current session, the ack and
// no-ack queues, the msg_ids seen upstream and the upstream backlog (applied in order, one at a time).
import type { Logger, Message } from '../../core/index.js';
import { AckQueue } from './ack-queue.js';
import type { CloudHubCounters } from './metrics.js';
import { NoAckQueue } from './noack-queue.js';
import type { ResolvedOptions } from './options.js';
import { SeenIds } from './seen-ids.js';
import type { Session } from './session.js';
import type { CloudHubListener } from './types.js';

/** What the hub's parts share: options, log, counters and the listener. */
export interface HubContext {
  readonly opts: ResolvedOptions;
  readonly log: Logger;
  readonly counters: CloudHubCounters;
  readonly listener: CloudHubListener;
}

export class NodeState {
  session: Session | undefined;
  readonly ack: AckQueue;
  readonly noack = new NoAckQueue();
  readonly seen: SeenIds;
  /** Upstream messages waiting to be applied, in arrival order. */
  readonly backlog: Message[] = [];
  draining = false;

  constructor(
    readonly node: string,
    opts: ResolvedOptions,
  ) {
    this.ack = new AckQueue({
      window: opts.ackWindow,
      firstResendMs: opts.ackTimeoutMs,
      maxResendMs: opts.maxResendIntervalMs,
    });
    this.seen = new SeenIds(opts.dedupeWindow);
  }

  /** Downstream messages held for this node (both queues). */
  get queued(): number {
    return this.ack.size + this.noack.size;
  }

  /** Nothing left worth keeping: the state can be dropped. */
  isIdle(): boolean {
    return (
      this.session === undefined &&
      this.queued === 0 &&
      this.backlog.length === 0 &&
      !this.draining &&
      this.seen.size === 0
    );
  }
}

/** Calls a listener callback; they must not throw, but one that does must not break the hub. */
export function notify(ctx: HubContext, what: string, node: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    ctx.log.error('listener failed', { callback: what, node, error: (err as Error).message });
  }
}
