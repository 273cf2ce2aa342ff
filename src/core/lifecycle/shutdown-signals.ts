import type { Logger } from '../log/index.js';

/** The part of `process` used here, so tests can pass an EventEmitter. */
export interface SignalSource {
  once(event: NodeJS.Signals, listener: () => void): unknown;
  removeListener(event: NodeJS.Signals, listener: () => void): unknown;
}

export interface ShutdownResult {
  signal: NodeJS.Signals;
  /** True when a second signal arrived before stop() finished: main should exit at once. */
  forced: boolean;
}

/**
 * On the first SIGINT/SIGTERM, stops the manager; resolves when it has stopped, or at once on a
 * second signal (forced). It never exits the process: main.ts decides the exit code.
 */
export function onShutdownSignals(
  manager: { stop(): Promise<void> },
  log: Logger,
  opts: { signals?: readonly NodeJS.Signals[]; source?: SignalSource } = {},
): Promise<ShutdownResult> {
  const signals = opts.signals ?? ['SIGINT', 'SIGTERM'];
  const source: SignalSource = opts.source ?? process;
  return new Promise<ShutdownResult>((resolve) => {
    let first: NodeJS.Signals | undefined;
    let settled = false;
    const listeners = new Map<NodeJS.Signals, () => void>();
    const finish = (result: ShutdownResult): void => {
      if (settled) return;
      settled = true;
      for (const [sig, fn] of listeners) source.removeListener(sig, fn);
      resolve(result);
    };
    const arm = (sig: NodeJS.Signals): void => {
      const fn = (): void => onSignal(sig);
      listeners.set(sig, fn);
      source.once(sig, fn);
    };
    const onSignal = (sig: NodeJS.Signals): void => {
      if (first !== undefined) {
        log.warn('second signal, not waiting for services to stop', { signal: sig });
        finish({ signal: first, forced: true });
        return;
      }
      first = sig;
      log.info('shutting down', { signal: sig });
      arm(sig); // `once` consumed this listener; a repeat of the same signal must still force
      manager.stop().then(
        () => finish({ signal: sig, forced: false }),
        (err: unknown) => {
          log.error('stop failed', { error: err instanceof Error ? err.message : String(err) });
          finish({ signal: sig, forced: false });
        },
      );
    };
    for (const s of signals) arm(s);
  });
}

/** Resolves when `signal` aborts; for run() bodies that only wait to be stopped. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
