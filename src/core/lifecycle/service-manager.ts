import { LifecycleWords, type Logger } from '../log/index.js';
import { dependentsOf, startOrder } from './service-graph.js';
import {
  canTransition,
  LifecycleError,
  ServiceFailedError,
  type LifecycleState,
  type Service,
} from './types.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

type Phase = 'waiting' | 'running' | 'ready' | 'exited' | 'failed';

interface Entry {
  service: Service;
  log: Logger;
  controller: AbortController;
  phase: Phase;
  ready: Deferred<void>;
  /** Settles when run() settles; never rejects. */
  done?: Promise<void>;
}

/**
 * Starts services in dependency order, each once its dependencies called ready(), and stops them in
 * reverse order (a service stops only after everything that depends on it has stopped).
 */
export class ServiceManager {
  private readonly entries = new Map<string, Entry>();
  private current: LifecycleState = 'idle';
  private startup = deferred<void>();
  private stopping: Promise<void> | undefined;
  private failure: ServiceFailedError | undefined;
  private readonly finished = deferred<void>();
  private readonly log: Logger;

  constructor(opts: { log: Logger }) {
    this.log = opts.log;
    // start() callers see startup failures; keep the internal promise from being "unhandled".
    this.startup.promise.catch(() => undefined);
  }

  get state(): LifecycleState {
    return this.current;
  }

  /** Adds a service; only before start(). */
  add(service: Service): this {
    if (this.current !== 'idle') {
      throw new LifecycleError('invalid_transition', `cannot add service "${service.name}" in state ${this.current}`);
    }
    if (this.entries.has(service.name)) {
      throw new LifecycleError('duplicate_service', `service "${service.name}" is already added`);
    }
    this.entries.set(service.name, {
      service,
      log: this.log.child(service.name),
      controller: new AbortController(),
      phase: 'waiting',
      ready: deferred<void>(),
    });
    return this;
  }

  /**
   * Resolves when every service is ready. Rejects with ServiceFailedError if one fails first (after
   * the others have stopped), with LifecycleError if the graph is bad or stop() is called meanwhile.
   */
  async start(): Promise<void> {
    const services = [...this.entries.values()].map((e) => e.service);
    const order = startOrder(services);
    this.transition('starting');
    for (const service of order) this.launch(this.entries.get(service.name) as Entry);
    if (order.length === 0) this.transition('running');
    if (this.current === 'running') return;
    return this.startup.promise;
  }

  /** Stops every service and resolves when all run() calls have settled. Safe to call in any state. */
  stop(): Promise<void> {
    if (this.current === 'idle') {
      this.transition('stopped');
      this.finished.resolve();
      return Promise.resolve();
    }
    if (this.current === 'starting' || this.current === 'running') {
      const wasStarting = this.current === 'starting';
      this.transition('stopping');
      if (wasStarting) {
        this.startup.reject(new LifecycleError('stopped_during_start', 'stopped before every service was ready'));
      }
      this.stopping = this.stopAll().then(() => {
        this.transition('stopped');
        this.finished.resolve();
      });
    }
    return this.stopping ?? Promise.resolve();
  }

  /** Resolves once stopped; rejects with the ServiceFailedError once a failure has stopped everything. */
  async wait(): Promise<void> {
    await this.finished.promise;
    if (this.failure !== undefined) throw this.failure;
  }

  private transition(to: LifecycleState): void {
    if (!canTransition(this.current, to)) {
      throw new LifecycleError('invalid_transition', `service manager cannot go from ${this.current} to ${to}`);
    }
    this.current = to;
  }

  private launch(entry: Entry): void {
    const deps = (entry.service.dependsOn ?? []).map((d) => (this.entries.get(d) as Entry).ready.promise);
    void Promise.all(deps).then(() => this.runEntry(entry));
  }

  private runEntry(entry: Entry): void {
    if (this.current !== 'starting' && this.current !== 'running') return;
    entry.phase = 'running';
    entry.log.info(LifecycleWords.starting);
    const ctx = { signal: entry.controller.signal, ready: () => this.markReady(entry), log: entry.log };
    entry.done = (async () => {
      try {
        await entry.service.run(ctx);
        this.onExit(entry);
      } catch (err) {
        this.onReject(entry, err);
      }
    })();
  }

  private markReady(entry: Entry): void {
    if (entry.phase !== 'running' || entry.controller.signal.aborted) return;
    entry.phase = 'ready';
    entry.log.info(LifecycleWords.ready);
    entry.ready.resolve();
    const allReady = [...this.entries.values()].every((e) => e.phase === 'ready' || e.phase === 'exited');
    if (allReady && this.current === 'starting') {
      this.transition('running');
      this.startup.resolve();
    }
  }

  private onExit(entry: Entry): void {
    // Returning without being asked to stop, before ready(), is a one-shot service that is done.
    if (!entry.controller.signal.aborted) this.markReady(entry);
    entry.phase = 'exited';
    entry.log.info(LifecycleWords.stopped);
  }

  private onReject(entry: Entry, err: unknown): void {
    const error = err instanceof Error ? err.message : String(err);
    if (entry.controller.signal.aborted) {
      // Rejecting while being stopped (often an AbortError) is still a stop.
      entry.phase = 'exited';
      entry.log.info(LifecycleWords.stopped, { error });
      return;
    }
    entry.phase = 'failed';
    entry.log.error(LifecycleWords.failed, { error });
    if (this.current !== 'starting' && this.current !== 'running') return;
    const failure = new ServiceFailedError(entry.service.name, err);
    this.failure = failure;
    this.transition('failed');
    // start() rejects only once the others have stopped, so main.ts can exit right away.
    this.stopping = this.stopAll().then(() => {
      this.startup.reject(failure);
      this.finished.resolve();
    });
  }

  /** Aborts each service after all its dependents have stopped, awaiting every run(). */
  private stopAll(): Promise<void> {
    const services = [...this.entries.values()].map((e) => e.service);
    const dependents = dependentsOf(services);
    const stops = new Map<string, Promise<void>>();
    const stopOne = (name: string): Promise<void> => {
      const existing = stops.get(name);
      if (existing !== undefined) return existing;
      const entry = this.entries.get(name) as Entry;
      const p = Promise.all((dependents.get(name) ?? []).map(stopOne)).then(async () => {
        const live = entry.phase === 'running' || entry.phase === 'ready';
        if (live) entry.log.info(LifecycleWords.stopping);
        entry.controller.abort();
        await entry.done;
      });
      stops.set(name, p);
      return p;
    };
    return Promise.all(services.map((s) => stopOne(s.name))).then(() => undefined);
  }
}
