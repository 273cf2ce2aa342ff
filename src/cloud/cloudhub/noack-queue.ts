// The per-node FIFO of no-ack downstream messages (KubeEdge's NoAckMessageQueue): pod lists,
// membership, twin cloud updates, serviceaccount tokens, responses. Pure; holds encoded frames.

export class NoAckQueue {
  private items: string[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(text: string): void {
    this.items.push(text);
  }

  /** The oldest frame, removed; undefined when empty. */
  shift(): string | undefined {
    if (this.head >= this.items.length) return undefined;
    const text = this.items[this.head];
    this.items[this.head] = '';
    this.head += 1;
    // Compact now and then so a long-lived queue does not keep a growing array of holes.
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return text;
  }

  clear(): number {
    const n = this.size;
    this.items = [];
    this.head = 0;
    return n;
  }
}
