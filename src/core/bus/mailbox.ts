import type { Message } from '../protocol/index.js';
import { BusClosedError, MailboxFullError } from './errors.js';

/**
 * The receiving end of one registered module: a FIFO queue of messages, read with receive() or
 * `for await`. Iteration ends when the mailbox closes (unregister or bus close).
 */
export interface Mailbox extends AsyncIterable<Message> {
  readonly module: string;
  readonly group: string;
  /** Messages waiting to be received. */
  readonly size: number;
  readonly closed: boolean;
  /** Next message; rejects with BusClosedError once closed, or with the signal's reason on abort. */
  receive(signal?: AbortSignal): Promise<Message>;
  /** Next message if one is waiting, without waiting. */
  tryReceive(): Message | undefined;
  /** Iterates until the mailbox closes or `signal` aborts (then the loop simply ends). */
  messages(signal?: AbortSignal): AsyncIterable<Message>;
  /** Unregisters the module; queued messages are dropped. */
  close(): void;
}

interface Waiter {
  resolve(msg: Message): void;
  reject(err: unknown): void;
}

/** Queue plus waiting receivers. Delivery is by the bus; close() goes through the bus's unregister. */
export class MailboxQueue implements Mailbox {
  private readonly queue: Message[] = [];
  private readonly waiters = new Set<Waiter>();
  private isClosed = false;

  constructor(
    readonly module: string,
    readonly group: string,
    private readonly capacity: number,
    private readonly onClose: (mailbox: MailboxQueue) => void,
  ) {}

  get size(): number {
    return this.queue.length;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Hands a message to a waiting receiver or queues it. */
  deliver(msg: Message): void {
    if (this.isClosed) throw new BusClosedError(`mailbox of module "${this.module}"`);
    const waiter = this.waiters.values().next();
    if (!waiter.done) {
      this.waiters.delete(waiter.value);
      waiter.value.resolve(msg);
      return;
    }
    if (this.queue.length >= this.capacity) throw new MailboxFullError(this.module, this.capacity);
    this.queue.push(msg);
  }

  tryReceive(): Message | undefined {
    return this.queue.shift();
  }

  receive(signal?: AbortSignal): Promise<Message> {
    const next = this.queue.shift();
    if (next !== undefined) return Promise.resolve(next);
    if (this.isClosed) return Promise.reject(new BusClosedError(`mailbox of module "${this.module}"`));
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Message>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiters.delete(waiter);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        resolve: (msg) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(msg);
        },
        reject: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      this.waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async *messages(signal?: AbortSignal): AsyncGenerator<Message, void, undefined> {
    for (;;) {
      let msg: Message;
      try {
        msg = await this.receive(signal);
      } catch (err) {
        if (err instanceof BusClosedError || signal?.aborted) return;
        throw err;
      }
      yield msg;
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Message> {
    return this.messages()[Symbol.asyncIterator]();
  }

  close(): void {
    if (this.isClosed) return;
    this.onClose(this);
  }

  /** Called by the bus when the module leaves: drop the queue and wake receivers. */
  shutdown(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.queue.length = 0;
    const err = new BusClosedError(`mailbox of module "${this.module}"`);
    for (const w of this.waiters) w.reject(err);
    this.waiters.clear();
  }
}
