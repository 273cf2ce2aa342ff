// A keyed work queue like client-go's rate-limited workqueue: a key waits at most once in the queue,
// one key is never processed twice at the same time (an add during processing re-queues it afterwards),
// failures retry with per-key exponential backoff, and delayed adds keep only the earliest deadline.
import { isApiError } from '../errors.js';
import type { Logger } from './types.js';

/** What a reconcile may ask for: nothing, or another look after a delay (e.g. minReadySeconds). */
export type ProcessResult = void | { requeueAfterMs?: number };

export interface WorkQueueOptions {
  name: string;
  process: (key: string) => ProcessResult | Promise<ProcessResult>;
  log: Logger;
  /** Keys processed in parallel (default 1). */
  concurrency?: number;
  /** First retry delay (default 5 ms), doubled per consecutive failure up to maxRetryDelayMs (default 30 s). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

interface DelayedAdd { due: number; timer: NodeJS.Timeout }

export class WorkQueue {
  private readonly opts: Required<Omit<WorkQueueOptions, 'process' | 'log' | 'name'>> & WorkQueueOptions;
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, DelayedAdd>();
  private readonly drainWaiters: (() => void)[] = [];
  private pumpScheduled = false;
  private started = false;
  private stopped = false;

  constructor(options: WorkQueueOptions) {
    this.opts = { concurrency: 1, retryDelayMs: 5, maxRetryDelayMs: 30_000, ...options };
  }

  start(signal: AbortSignal): void {
    if (this.started) return;
    this.started = true;
    if (signal.aborted) { this.shutDown(); return; }
    signal.addEventListener('abort', () => this.shutDown(), { once: true });
    this.schedulePump();
  }

  add(key: string): void {
    if (this.stopped) return;
    if (this.processing.has(key)) { this.dirty.add(key); return; }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.schedulePump();
  }

  /** Adds the key after `ms`; an earlier pending deadline for the same key wins. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) { this.add(key); return; }
    const due = Date.now() + ms;
    const existing = this.delayed.get(key);
    if (existing && existing.due <= due) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => { this.delayed.delete(key); this.add(key); }, ms);
    timer.unref?.();
    this.delayed.set(key, { due, timer });
  }

  /** Re-adds after the key's backoff delay and counts a failure. */
  addRateLimited(key: string): void {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    const delay = Math.min(this.opts.retryDelayMs * 2 ** Math.min(n - 1, 30), this.opts.maxRetryDelayMs);
    this.addAfter(key, delay);
  }

  /** Clears the failure count of a key (after a successful reconcile). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  get length(): number {
    return this.queue.length;
  }

  /** Resolves once nothing is being processed any more after shutdown. */
  drained(): Promise<void> {
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private shutDown(): void {
    this.stopped = true;
    for (const d of this.delayed.values()) clearTimeout(d.timer);
    this.delayed.clear();
    this.queue.length = 0;
    this.queued.clear();
    this.dirty.clear();
    this.notifyDrained();
  }

  // Workers never run synchronously inside add(): add() is called from watch callbacks, which the
  // object API may invoke in the middle of another reconcile's write.
  private schedulePump(): void {
    if (!this.started || this.pumpScheduled || this.stopped) return;
    this.pumpScheduled = true;
    setImmediate(() => { this.pumpScheduled = false; this.pump(); });
  }

  private pump(): void {
    while (!this.stopped && this.processing.size < this.opts.concurrency && this.queue.length > 0) {
      const key = this.queue.shift() as string;
      this.queued.delete(key);
      this.processing.add(key);
      void this.runOne(key);
    }
  }

  private async runOne(key: string): Promise<void> {
    try {
      const result = await this.opts.process(key);
      this.forget(key);
      if (result && typeof result.requeueAfterMs === 'number') this.addAfter(key, result.requeueAfterMs);
    } catch (err) {
      this.logFailure(key, err);
      this.addRateLimited(key);
    } finally {
      this.processing.delete(key);
      if (this.dirty.delete(key)) this.add(key);
      if (this.stopped) this.notifyDrained();
      else this.schedulePump();
    }
  }

  private logFailure(key: string, err: unknown): void {
    if (isApiError(err) && err.code === 409) {
      this.opts.log.debug('conflict, retrying', { queue: this.opts.name, key, err: err.message });
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    this.opts.log.warn('reconcile failed, retrying', { queue: this.opts.name, key, err: message });
  }

  private notifyDrained(): void {
    if (this.processing.size > 0) return;
    for (const w of this.drainWaiters.splice(0)) w();
  }
}
