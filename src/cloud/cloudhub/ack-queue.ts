// The per-node queue of reliable downstream messages (KubeEdge's AckMessageQueue + AckMessageStore),
// as a pure state machine: no sockets, no timers; `now` is passed in.
//
// Mirrored from KubeEdge: messages for one object are keyed by its UID; a newer resourceVersion
// replaces the queued one, an older or equal one is dropped; a delete always replaces and, once a
// delete is queued, later non-delete messages for that UID are dropped (the object is gone).
// Resends reuse the same msg_id, so the edge's ack (parent_msg_id) matches any copy.
// Beyond KubeEdge (one message in flight per node): a window of `window` unacked messages.
import { encodeMessage, Operations, type Message } from '../../core/index.js';

export interface AckQueueLimits {
  /** Most messages sent and not yet acked at once. */
  window: number;
  /** Delay before the first resend. */
  firstResendMs: number;
  /** Cap of the doubling resend delay. */
  maxResendMs: number;
}

export interface AckEntry {
  readonly key: string;
  readonly msg: Message;
  /** Encoded once, so every resend carries the same bytes and msg_id. */
  readonly text: string;
  /** Times sent on the current connection; 0 = waiting. */
  sends: number;
  nextResendAt: number;
}

export type AckAddResult =
  | { kind: 'queued' }
  /** `previous` (same UID, older version) left the queue; an ack for it no longer matches. */
  | { kind: 'replaced'; previous: Message }
  /** The incoming message is older than (or as old as) the queued one, or follows a delete. */
  | { kind: 'stale' }
  /** No room: the caller decides what to drop. */
  | { kind: 'full' };

export class AckQueue {
  /** key → entry, in send order (Map keeps insertion order; a replacement keeps its place). */
  private readonly entries = new Map<string, AckEntry>();
  private readonly keyByMsgId = new Map<string, string>();
  private readonly inFlight = new Set<string>();

  constructor(private readonly limits: AckQueueLimits) {}

  get size(): number {
    return this.entries.size;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Adds `msg`; `hasRoom` is asked only when the queue would grow (it may make room elsewhere). */
  add(msg: Message, uid: string | undefined, hasRoom: () => boolean): AckAddResult {
    const key = uid === undefined || uid === '' ? `id:${msg.header.msg_id}` : `uid:${uid}`;
    const existing = this.entries.get(key);
    if (existing === undefined) {
      if (!hasRoom()) return { kind: 'full' };
      this.put(key, msg);
      return { kind: 'queued' };
    }
    if (!supersedes(msg, existing.msg)) return { kind: 'stale' };
    // Not forget(): the key stays in the Map so the newer message keeps the older one's place.
    this.keyByMsgId.delete(existing.msg.header.msg_id);
    this.inFlight.delete(key);
    this.put(key, msg);
    return { kind: 'replaced', previous: existing.msg };
  }

  /** Marks and returns the waiting messages that fit in the window, oldest first. */
  takeSendable(now: number): AckEntry[] {
    const out: AckEntry[] = [];
    let free = this.limits.window - this.inFlight.size;
    if (free <= 0) return out;
    for (const entry of this.entries.values()) {
      if (entry.sends > 0) continue;
      this.markSent(entry, now);
      out.push(entry);
      if (--free === 0) break;
    }
    return out;
  }

  /** Marks and returns the in-flight messages whose resend time has come. */
  dueResends(now: number): AckEntry[] {
    const out: AckEntry[] = [];
    for (const key of this.inFlight) {
      const entry = this.entries.get(key);
      if (entry !== undefined && entry.nextResendAt <= now) {
        this.markSent(entry, now);
        out.push(entry);
      }
    }
    return out;
  }

  /** The edge acked `msgId`: removes and returns the original message, or undefined if unknown. */
  ack(msgId: string): Message | undefined {
    const key = this.keyByMsgId.get(msgId);
    if (key === undefined) return undefined;
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.forget(entry);
    return entry.msg;
  }

  /** True if `msgId` is queued and unacked. */
  has(msgId: string): boolean {
    return this.keyByMsgId.has(msgId);
  }

  /** The connection went away: everything unacked waits to be sent again on the next one. */
  requeueAll(): void {
    for (const key of this.inFlight) {
      const entry = this.entries.get(key);
      if (entry !== undefined) entry.sends = 0;
    }
    this.inFlight.clear();
  }

  /** Removes and returns every message (the node was forgotten). */
  clear(): Message[] {
    const all = [...this.entries.values()].map((e) => e.msg);
    this.entries.clear();
    this.keyByMsgId.clear();
    this.inFlight.clear();
    return all;
  }

  private put(key: string, msg: Message): void {
    // Map.set on an existing key keeps the key's position, so a replacement is not sent last.
    this.entries.set(key, { key, msg, text: encodeMessage(msg), sends: 0, nextResendAt: 0 });
    this.keyByMsgId.set(msg.header.msg_id, key);
  }

  private forget(entry: AckEntry): void {
    this.keyByMsgId.delete(entry.msg.header.msg_id);
    this.inFlight.delete(entry.key);
    this.entries.delete(entry.key);
  }

  private markSent(entry: AckEntry, now: number): void {
    entry.sends += 1;
    const delay = Math.min(this.limits.firstResendMs * 2 ** (entry.sends - 1), this.limits.maxResendMs);
    entry.nextResendAt = now + delay;
    this.inFlight.add(entry.key);
  }
}

/** Whether `incoming` should replace `queued` for the same object (KubeEdge enqueueAckMessage). */
export function supersedes(incoming: Message, queued: Message): boolean {
  if (incoming.route.operation === Operations.delete) return true;
  if (queued.route.operation === Operations.delete) return false;
  return compareResourceVersion(incoming.header.resourceversion, queued.header.resourceversion) > 0;
}

/**
 * Orders resourceVersions as unsigned integers of any length (KubeEdge CompareResourceVersion parses
 * uint64). A missing or non-numeric version cannot be ordered; it counts as newer so it is not lost.
 */
export function compareResourceVersion(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined || !DIGITS.test(a) || !DIGITS.test(b)) return 1;
  const x = a.replace(LEADING_ZEROS, '');
  const y = b.replace(LEADING_ZEROS, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

const DIGITS = /^\d+$/;
const LEADING_ZEROS = /^0+(?=\d)/;
