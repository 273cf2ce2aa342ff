// The frame every controller shares: informers from a (possibly shared) factory, one work queue whose
// workers start once the caches have synced, a periodic resync of the main resource, and an event
// recorder. Subclasses declare their informers in the constructor and implement reconcile(key).
import { setMaxListeners } from 'node:events';
import { LifecycleWords } from '../../core/log/index.js';
import type { ObjectAPI, ResourceRef } from '../objects/index.js';
import { EventRecorder } from './event-recorder.js';
import type { Informer } from './informer.js';
import { InformerFactory } from './informer-factory.js';
import { defaultResyncMs, systemNow, type Controller, type ControllerDeps, type Logger } from './types.js';
import { WorkQueue, type ProcessResult } from './work-queue.js';

export interface QueueControllerOptions {
  name: string;
  /** source.component of the Events it records. */
  component: string;
  concurrency?: number;
}

export abstract class QueueController implements Controller {
  readonly name: string;
  readonly ready: Promise<void>;
  protected readonly api: ObjectAPI;
  protected readonly log: Logger;
  protected readonly now: () => Date;
  protected readonly informers: InformerFactory;
  protected readonly queue: WorkQueue;
  protected readonly recorder: EventRecorder;
  private readonly used: Informer[] = [];
  private readonly resyncMs: number;
  private markReady: () => void = () => undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  protected signal: AbortSignal | undefined;

  constructor(deps: ControllerDeps, options: QueueControllerOptions) {
    this.name = options.name;
    this.api = deps.api;
    this.log = deps.log.child(options.name);
    this.now = deps.now ?? systemNow;
    this.resyncMs = deps.resyncMs ?? defaultResyncMs;
    this.informers = deps.informers ?? new InformerFactory({ api: deps.api, log: deps.log });
    this.queue = new WorkQueue({
      name: options.name, log: deps.log, process: (key) => this.reconcile(key),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(deps.retryDelayMs !== undefined ? { retryDelayMs: deps.retryDelayMs } : {}),
      ...(deps.maxRetryDelayMs !== undefined ? { maxRetryDelayMs: deps.maxRetryDelayMs } : {}),
    });
    this.recorder = new EventRecorder({ api: deps.api, log: deps.log, component: options.component, now: this.now });
    this.ready = new Promise((resolve) => { this.markReady = resolve; });
  }

  start(outer: AbortSignal): void {
    if (this.signal) return;
    // One signal of our own: our informers, queue and timers add more abort listeners than the default 10.
    const own = new AbortController();
    setMaxListeners(0, own.signal);
    if (outer.aborted) own.abort();
    else outer.addEventListener('abort', () => own.abort(), { once: true });
    const signal = own.signal;
    this.signal = signal;
    this.informers.start(signal);
    void Promise.all(this.used.map((i) => i.synced)).then(() => {
      if (signal.aborted) return;
      this.queue.start(signal);
      this.onSynced();
      this.startResync(signal);
      this.log.info(LifecycleWords.ready, { controller: this.name });
      this.markReady();
    });
  }

  async stopped(): Promise<void> {
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    await this.queue.drained();
  }

  /** Declares an informer this controller reads; the queue waits for all of them to sync. */
  protected use(ref: ResourceRef, namespace?: string): Informer {
    const informer = this.informers.for(ref, namespace);
    this.used.push(informer);
    return informer;
  }

  /** Keys to queue at start and on every resync (default: none). */
  protected resyncKeys(): string[] {
    return [];
  }

  /** Called once the caches have synced, before the first resync. */
  protected onSynced(): void {
    for (const key of this.resyncKeys()) this.queue.add(key);
  }

  protected abstract reconcile(key: string): ProcessResult | Promise<ProcessResult>;

  private startResync(signal: AbortSignal): void {
    if (this.resyncMs <= 0) return;
    this.resyncTimer = setInterval(() => { for (const key of this.resyncKeys()) this.queue.add(key); }, this.resyncMs);
    this.resyncTimer.unref?.();
    signal.addEventListener('abort', () => { if (this.resyncTimer) clearInterval(this.resyncTimer); }, { once: true });
  }
}
