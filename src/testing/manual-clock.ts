// A manual clock for edgehub's tests: now() and the Timers port advance only when the test says.
// Used by *.test.ts only (a candidate for src/testing/).
import type { TimerHandle, Timers } from '../edge/edgehub/index.js';

interface Pending {
  id: number;
  due: number;
  fn: () => void;
}

export class ManualClock implements Timers {
  private t: number;
  private nextId = 1;
  private timers: Pending[] = [];

  constructor(start = 1_700_000_000_000) {
    this.t = start;
  }

  readonly now = (): number => this.t;

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.push({ id, due: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((p) => p.id !== handle);
  }

  /** Moves time forward by `ms`, firing due timers in order (including ones they schedule). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = this.timers.filter((p) => p.due <= end).sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!next) break;
      this.timers = this.timers.filter((p) => p.id !== next.id);
      this.t = Math.max(this.t, next.due);
      next.fn();
    }
    this.t = end;
  }

  pendingCount(): number {
    return this.timers.length;
  }
}
