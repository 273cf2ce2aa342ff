// One worker per pod uid (kubelet podWorkers): syncs of a pod never overlap; a trigger during a sync
// runs one more sync after it (bursts coalesce); wake-ups at a time (back-off expiry) keep only the
// earliest. Different pods sync concurrently.
export class PodWorkers {
  readonly #workers = new Map<string, Worker>();
  readonly #run: (uid: string) => Promise<void>;
  readonly #now: () => number;
  #stopped = false;

  constructor(run: (uid: string) => Promise<void>, now: () => number) {
    this.#run = run;
    this.#now = now;
  }

  trigger(uid: string): void {
    if (this.#stopped) return;
    const w = this.#get(uid);
    if (w.running !== undefined) {
      w.again = true;
      return;
    }
    w.running = this.#loop(uid, w);
  }

  /** Syncs the pod at `at` (ms since the epoch) unless an earlier wake-up is already set. */
  wake(uid: string, at: number): void {
    if (this.#stopped) return;
    const w = this.#get(uid);
    if (w.wakeAt !== undefined && w.wakeAt <= at) return;
    if (w.timer !== undefined) clearTimeout(w.timer);
    w.wakeAt = at;
    w.timer = setTimeout(() => {
      w.timer = undefined;
      w.wakeAt = undefined;
      this.trigger(uid);
    }, Math.max(0, at - this.#now()));
    w.timer.unref();
  }

  forget(uid: string): void {
    const w = this.#workers.get(uid);
    if (w?.timer !== undefined) clearTimeout(w.timer);
    this.#workers.delete(uid);
  }

  has(uid: string): boolean {
    return this.#workers.has(uid);
  }

  /** Stops timers and new syncs; resolves when the syncs in flight have ended. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const w of this.#workers.values()) if (w.timer !== undefined) clearTimeout(w.timer);
    await Promise.allSettled([...this.#workers.values()].map((w) => w.running));
  }

  /** Resolves when no sync is running (tests, stop). */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.#workers.values()].map((w) => w.running).filter((p) => p !== undefined);
      if (running.length === 0) return;
      await Promise.allSettled(running);
    }
  }

  #get(uid: string): Worker {
    let w = this.#workers.get(uid);
    if (w === undefined) {
      w = { running: undefined, again: false, timer: undefined, wakeAt: undefined };
      this.#workers.set(uid, w);
    }
    return w;
  }

  async #loop(uid: string, w: Worker): Promise<void> {
    try {
      do {
        w.again = false;
        try {
          await this.#run(uid);
        } catch {
          // run() handles its own errors; a throw here must not end the worker.
        }
      } while (w.again && !this.#stopped);
    } finally {
      w.running = undefined;
    }
  }
}

interface Worker {
  running: Promise<void> | undefined;
  again: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  wakeAt: number | undefined;
}
