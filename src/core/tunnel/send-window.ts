// Per-session flow control: a sender may have `available` data bytes unacknowledged; the receiver
// grants more (a `window` frame) once it has handed bytes on. No timers, no sockets.

export class SendWindow {
  #available: number;
  #waiters: (() => void)[] = [];
  #closed = false;

  constructor(initial: number) {
    this.#available = initial;
  }

  get available(): number {
    return this.#available;
  }

  /** Records bytes sent (may go below zero for a chunk larger than the window; the sender then waits). */
  take(bytes: number): void {
    this.#available -= bytes;
  }

  grant(bytes: number): void {
    this.#available += bytes;
    if (this.#available > 0) this.#wake();
  }

  /** Resolves when there is room (at once if there is), or when the window is closed. */
  wait(): Promise<void> {
    if (this.#available > 0 || this.#closed) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Releases every waiter for good (the session ended). */
  close(): void {
    this.#closed = true;
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
