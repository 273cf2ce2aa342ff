// Acks and request() messages that found the upstream rate limit empty wait here, in memory, and go
// out before outbox traffic (the cloud waits on them). KubeEdge blocks the sender in the limiter
// instead. The queue is per link: when the link drops it is emptied (the cloud resends unacked
// downstream messages; requests are rejected).

export interface ExpressItem {
  text: string;
  kind: 'ack' | 'request';
  /** msg_id, so a timed-out request can be taken out. */
  msgId: string;
}

export class ExpressQueue {
  private items: ExpressItem[] = [];

  constructor(private readonly capacity = 4096) {}

  /** false when full (the item is not queued). */
  push(item: ExpressItem): boolean {
    if (this.items.length >= this.capacity) return false;
    this.items.push(item);
    return true;
  }

  peek(): ExpressItem | undefined {
    return this.items[0];
  }

  shift(): ExpressItem | undefined {
    return this.items.shift();
  }

  remove(msgId: string): void {
    this.items = this.items.filter((i) => i.msgId !== msgId);
  }

  /** Empties the queue and returns what it held. */
  drain(): ExpressItem[] {
    const out = this.items;
    this.items = [];
    return out;
  }

  get length(): number {
    return this.items.length;
  }
}
