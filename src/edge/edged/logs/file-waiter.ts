// Waits for a log file to grow while following: inotify (fs.watch) wakes us at once, a poll timer
// covers filesystems where watch events do not arrive. Ends early when the signal aborts.
import { watch, type FSWatcher } from 'node:fs';

export class FileWaiter {
  #watcher: FSWatcher | undefined;
  #wake: (() => void) | undefined;
  #changed = false;

  constructor(path: string, private readonly pollMs: number) {
    try {
      this.#watcher = watch(path, { persistent: false }, () => {
        this.#changed = true;
        this.#wake?.();
      });
      this.#watcher.on('error', () => this.close());
    } catch {
      this.#watcher = undefined;
    }
  }

  /** Resolves after a change, pollMs, or abort, whichever comes first. */
  wait(signal: AbortSignal): Promise<void> {
    if (this.#changed || signal.aborted) {
      this.#changed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#wake = undefined;
        this.#changed = false;
        resolve();
      };
      const timer = setTimeout(done, this.pollMs);
      signal.addEventListener('abort', done, { once: true });
      this.#wake = done;
    });
  }

  close(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#wake?.();
  }
}
