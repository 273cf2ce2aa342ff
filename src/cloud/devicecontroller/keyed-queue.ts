// Runs async tasks one after another per key (a device), different keys concurrently. Twin and
// state reports of one device, and the controller's own DeviceStatus writes for it, must not
// interleave: each reads the status the previous one wrote.

export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every task queued before it for `key`; settles as `task` does. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(task, task);
    const tail = next.then(() => undefined, () => undefined);
    this.tails.set(key, tail);
    // Forget an idle key, so the map holds only devices with work in flight.
    void tail.then(() => { if (this.tails.get(key) === tail) this.tails.delete(key); });
    return next;
  }

  /** Keys with work queued or running. */
  get size(): number {
    return this.tails.size;
  }
}
