// Sends the outbox in seq order over the current link with a window of unacked messages, and
// resends go-back-N style: when the oldest in-flight message waited longer than the resend timeout,
// or after a reconnect, sending restarts from the oldest row still in the table, so the cloud sees
// every message in order (it drops duplicates by msg_id). No sockets here: the link is a port.
import type { Outbox } from './outbox.js';

export interface OutboxLink {
  /** Writes one frame; `onWritten` runs once the frame reached the socket (or failed to). */
  write(text: string, onWritten: (err?: Error) => void): void;
  /** Takes one upstream rate-limit token; false when the bucket is empty. */
  takeToken(): boolean;
  /**
   * true: the cloud acks upstream messages (a KubeEdge-TS cloudhub); rows leave on the ack.
   * false: a KubeEdge cloudcore; rows leave once written.
   */
  acks: boolean;
}

export type PumpResult = 'idle' | 'window_full' | 'throttled' | 'detached';

interface InFlight {
  seq: number;
  sentAt: number;
}

export class OutboxSender {
  private link: OutboxLink | undefined;
  /** Bumped on every attach so write callbacks of an old link do not touch the new window. */
  private epoch = 0;
  private lastSeq = 0;
  private highestSent = 0;
  private readonly inflight = new Map<string, InFlight>();
  /** Messages written again after a timeout or a reconnect. */
  resends = 0;

  constructor(
    private readonly outbox: Outbox,
    private readonly opts: { window: number; resendTimeoutMs: number; now: () => number },
  ) {}

  /** A link came up: replay from the oldest row. */
  attach(link: OutboxLink): void {
    this.link = link;
    this.epoch += 1;
    this.rewind(0);
  }

  detach(): void {
    this.link = undefined;
    this.epoch += 1;
    this.inflight.clear();
  }

  inFlight(): number {
    return this.inflight.size;
  }

  /** Writes what the window and the rate limit allow. */
  pump(): PumpResult {
    const link = this.link;
    if (!link) return 'detached';
    for (;;) {
      const room = this.opts.window - this.inflight.size;
      if (room <= 0) return 'window_full';
      const rows = this.outbox.after(this.lastSeq, room);
      if (rows.length === 0) return 'idle';
      for (const row of rows) {
        if (!link.takeToken()) return 'throttled';
        this.writeRow(link, row.seq, row.msgId, row.text);
      }
    }
  }

  /** The cloud answered `msgId` (ack or refusal): the row leaves the outbox. True when it was ours. */
  settle(msgId: string): boolean {
    const wasInFlight = this.inflight.delete(msgId);
    return this.outbox.remove(msgId) || wasInFlight;
  }

  /** When the oldest in-flight message becomes overdue (ack mode only), or undefined. */
  nextResendAt(): number | undefined {
    if (!this.link?.acks) return undefined;
    const oldest = this.inflight.values().next();
    return oldest.done ? undefined : oldest.value.sentAt + this.opts.resendTimeoutMs;
  }

  /** Goes back to the oldest in-flight message when it is overdue; true when it did. */
  checkResend(): boolean {
    const due = this.nextResendAt();
    if (due === undefined || this.opts.now() < due) return false;
    const oldest = this.inflight.values().next();
    if (oldest.done) return false;
    this.rewind(oldest.value.seq - 1);
    return true;
  }

  private rewind(toSeq: number): void {
    this.inflight.clear();
    this.lastSeq = toSeq;
  }

  private writeRow(link: OutboxLink, seq: number, msgId: string, text: string): void {
    if (seq <= this.highestSent) this.resends += 1;
    this.highestSent = Math.max(this.highestSent, seq);
    this.lastSeq = seq;
    this.inflight.set(msgId, { seq, sentAt: this.opts.now() });
    const epoch = this.epoch;
    link.write(text, (err) => {
      if (link.acks || err) return;
      // A KubeEdge cloudcore never acks: written to the socket is as far as we can follow it.
      this.outbox.remove(msgId);
      if (epoch === this.epoch) this.inflight.delete(msgId);
    });
  }
}
