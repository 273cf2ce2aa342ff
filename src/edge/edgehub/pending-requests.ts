// request(): upstream messages waiting for the cloud's response, matched by parent_msg_id, as
// viaduct's syncKeeper matches WriteMessageSync replies.
import type { Message } from '../../core/index.js';
import { EdgeHubError } from './errors.js';
import type { TimerHandle, Timers } from './options.js';

interface Waiter {
  resolve: (msg: Message) => void;
  reject: (err: Error) => void;
  timer: TimerHandle;
}

export class PendingRequests {
  private readonly waiters = new Map<string, Waiter>();

  constructor(private readonly timers: Timers) {}

  /** Registers a wait for the response to `msgId`; rejects with 'timeout' after `timeoutMs`. */
  wait(msgId: string, timeoutMs: number): Promise<Message> {
    return new Promise<Message>((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        this.waiters.delete(msgId);
        reject(new EdgeHubError('timeout', `no response to ${msgId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(msgId, { resolve, reject, timer });
    });
  }

  /** Hands `msg` to the request it answers; false when nobody waits for it. */
  resolve(msg: Message): boolean {
    const parent = msg.header.parent_msg_id;
    if (!parent) return false;
    const waiter = this.waiters.get(parent);
    if (!waiter) return false;
    this.finish(parent, waiter);
    waiter.resolve(msg);
    return true;
  }

  reject(msgId: string, err: Error): void {
    const waiter = this.waiters.get(msgId);
    if (!waiter) return;
    this.finish(msgId, waiter);
    waiter.reject(err);
  }

  /** Fails every waiting request (link down, stop). */
  rejectAll(err: Error): void {
    for (const id of [...this.waiters.keys()]) this.reject(id, err);
  }

  size(): number {
    return this.waiters.size;
  }

  private finish(msgId: string, waiter: Waiter): void {
    this.timers.clearTimeout(waiter.timer);
    this.waiters.delete(msgId);
  }
}
