import type { Message } from '../protocol/index.js';
import { BusClosedError, DuplicateModuleError, DuplicateRequestError, TimeoutError, UnknownModuleError } from './errors.js';
import { MailboxQueue, type Mailbox } from './mailbox.js';

// KubeEdge's beehive channel context, made explicit: one bus per process (built in main.ts and
// passed in), modules register under a name and a group, and requests wait for the response whose
// parent_msg_id is their msg_id.

export interface ModuleBusOptions {
  /** Undelivered messages each mailbox holds before send() refuses more; default 1024 (beehive's buffer). */
  mailboxCapacity?: number;
}

interface Pending {
  module: string;
  resolve(msg: Message): void;
  reject(err: unknown): void;
  timer: NodeJS.Timeout;
}

export const DEFAULT_MAILBOX_CAPACITY = 1024;

export class ModuleBus {
  private readonly mailboxes = new Map<string, MailboxQueue>();
  private readonly pending = new Map<string, Pending>();
  private readonly capacity: number;
  private isClosed = false;

  constructor(opts: ModuleBusOptions = {}) {
    this.capacity = opts.mailboxCapacity ?? DEFAULT_MAILBOX_CAPACITY;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Registers a module and returns its mailbox. */
  register(module: string, group: string): Mailbox {
    if (this.isClosed) throw new BusClosedError('module bus');
    if (this.mailboxes.has(module)) throw new DuplicateModuleError(module);
    const mailbox = new MailboxQueue(module, group, this.capacity, (m) => this.unregister(m.module));
    this.mailboxes.set(module, mailbox);
    return mailbox;
  }

  /**
   * Removes a module; its mailbox closes, its queued messages are dropped, and sendSync calls
   * addressed to it reject with BusClosedError instead of waiting for their timeout.
   */
  unregister(module: string): void {
    const mailbox = this.mailboxes.get(module);
    if (mailbox === undefined) return;
    this.mailboxes.delete(module);
    mailbox.shutdown();
    for (const [id, p] of this.pending) {
      if (p.module !== module) continue;
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(new BusClosedError(`mailbox of module "${module}"`));
    }
  }

  has(module: string): boolean {
    return this.mailboxes.has(module);
  }

  /** Registered module names, in registration order. */
  modules(): string[] {
    return [...this.mailboxes.keys()];
  }

  /**
   * Queues `msg` for `module`. Throws UnknownModuleError, MailboxFullError or BusClosedError.
   * Messages are shared, not copied: treat a sent message as immutable.
   */
  send(module: string, msg: Message): void {
    this.mailboxOf(module).deliver(msg);
  }

  /**
   * Queues `msg` for every module of `group` and returns how many received it. Like beehive's
   * SendToGroup it does not block on a full mailbox: that member is skipped.
   */
  sendToGroup(group: string, msg: Message): number {
    if (this.isClosed) throw new BusClosedError('module bus');
    let delivered = 0;
    for (const mailbox of this.mailboxes.values()) {
      if (mailbox.group !== group) continue;
      try {
        mailbox.deliver(msg);
        delivered++;
      } catch {
        // full mailbox: skipped, as documented above
      }
    }
    return delivered;
  }

  /**
   * Sends a copy of `msg` with header.sync set and resolves with the response whose parent_msg_id is
   * msg.header.msg_id. Rejects with TimeoutError after `timeoutMs`, BusClosedError when the bus closes.
   */
  sendSync(module: string, msg: Message, timeoutMs: number): Promise<Message> {
    const id = msg.header.msg_id;
    if (this.pending.has(id)) {
      return Promise.reject(new DuplicateRequestError(id));
    }
    const request: Message = { ...msg, header: { ...msg.header, sync: true } };
    return new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new TimeoutError(module, id, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, { module, resolve, reject, timer });
      try {
        this.send(module, request);
      } catch (err) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(err);
      }
    });
  }

  /**
   * Routes a response: to the sendSync waiting for its parent_msg_id if any, else to the module in
   * route.destination, else to route.source (KubeEdge responses keep the requester as source).
   * Returns false when nobody could take it (the response is dropped, as beehive does).
   */
  sendResp(msg: Message): boolean {
    const parent = msg.header.parent_msg_id;
    const waiting = parent === undefined ? undefined : this.pending.get(parent);
    if (waiting !== undefined && parent !== undefined) {
      clearTimeout(waiting.timer);
      this.pending.delete(parent);
      waiting.resolve(msg);
      return true;
    }
    for (const target of [msg.route.destination, msg.route.source]) {
      const mailbox = target ? this.mailboxes.get(target) : undefined;
      if (mailbox === undefined) continue;
      try {
        mailbox.deliver(msg);
        return true;
      } catch {
        return false;
      }
    }
    return false;
  }

  /** Number of sendSync calls waiting for a response. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Closes every mailbox and rejects every waiting sendSync with BusClosedError. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const module of [...this.mailboxes.keys()]) this.unregister(module);
    // unregister() already rejected the requests addressed to each module; clear anything left.
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new BusClosedError('module bus'));
    }
    this.pending.clear();
  }

  private mailboxOf(module: string): MailboxQueue {
    if (this.isClosed) throw new BusClosedError('module bus');
    const mailbox = this.mailboxes.get(module);
    if (mailbox === undefined) throw new UnknownModuleError(module);
    return mailbox;
  }
}
