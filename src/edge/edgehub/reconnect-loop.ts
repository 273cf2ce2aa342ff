// The single-flight connect → serve → back off loop, and the only writer of LinkState.
// KubeEdge's edgehub loops connect / wait for a broken link / sleep 2 × heartbeat; here the sleep is
// a jittered exponential backoff (backoff.ts) that resets after a link stayed up BACKOFF_RESET_AFTER_MS,
// and reconnectNow() (certificate rotation) skips it.
import type { Logger } from '../../core/index.js';
import { BACKOFF_RESET_AFTER_MS, backoffDelay, type BackoffPolicy } from './backoff.js';
import { LinkStateMachine } from './link-state.js';
import type { TimerHandle, Timers } from './options.js';
import type { LinkState } from './types.js';

export interface LinkDriver<S> {
  /** Dials and returns a connected session; rejects on failure. */
  connect(signal: AbortSignal): Promise<S>;
  /** Serves the session until it ends; resolves with the reason. */
  serve(session: S): Promise<string>;
  /** Ends the session; serve() then resolves. */
  close(session: S, reason: string, graceful: boolean): void;
}

export interface ReconnectLoopOptions {
  backoff: BackoffPolicy;
  now: () => number;
  timers: Timers;
  random: () => number;
  log: Logger;
}

export class ReconnectLoop<S> {
  private readonly fsm = new LinkStateMachine();
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private session: S | undefined;
  private redial = false;
  private wake: (() => void) | undefined;
  private sleepTimer: TimerHandle | undefined;

  constructor(
    private readonly driver: LinkDriver<S>,
    private readonly opts: ReconnectLoopOptions,
  ) {}

  state(): LinkState {
    return this.fsm.state;
  }

  /** Starts the loop once; later calls do nothing (single flight). */
  start(): void {
    if (this.running || this.stopping()) return;
    this.running = this.loop().catch((err: unknown) => {
      this.opts.log.error('failed', { error: err instanceof Error ? err.message : String(err) });
    });
  }

  /** Redial now without backoff: drops a live link, or cuts a backoff sleep short. */
  reconnectNow(): void {
    if (this.stopping()) return;
    const kind = this.fsm.state.kind;
    if (kind === 'connected' && this.session !== undefined) {
      this.redial = true;
      this.driver.close(this.session, 'reconnect requested', true);
    } else if (kind === 'backoff') {
      this.redial = true;
      this.wakeUp();
    }
  }

  async stop(): Promise<void> {
    if (this.stopping()) return this.running;
    this.fsm.to({ kind: 'stopped' });
    this.abort.abort();
    this.wakeUp();
    if (this.session !== undefined) this.driver.close(this.session, 'stopping', true);
    await this.running;
  }

  private stopping(): boolean {
    return this.fsm.is('stopped');
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopping()) {
      this.fsm.to({ kind: 'connecting', attempt: failures + 1 });
      let reason: string;
      try {
        const session = await this.driver.connect(this.abort.signal);
        if (this.stopping()) {
          this.driver.close(session, 'stopping', true);
          return;
        }
        const since = this.opts.now();
        this.session = session;
        this.fsm.to({ kind: 'connected', since });
        reason = await this.driver.serve(session);
        this.session = undefined;
        if (this.opts.now() - since >= BACKOFF_RESET_AFTER_MS) failures = 0;
      } catch (err) {
        reason = err instanceof Error ? err.message : String(err);
      }
      if (this.stopping()) return;
      if (this.redial) {
        this.redial = false;
        failures = 0;
        continue;
      }
      failures += 1;
      await this.backoff(failures, reason);
      if (this.redial) {
        this.redial = false;
        failures = 0;
      }
    }
  }

  private async backoff(attempt: number, lastError: string): Promise<void> {
    const retryInMs = backoffDelay(attempt, this.opts.backoff, this.opts.random);
    this.fsm.to({ kind: 'backoff', attempt, retryInMs, lastError });
    this.opts.log.info('backoff', { attempt, retryInMs, lastError });
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      this.sleepTimer = this.opts.timers.setTimeout(resolve, retryInMs);
    });
    this.wake = undefined;
  }

  private wakeUp(): void {
    if (this.sleepTimer !== undefined) this.opts.timers.clearTimeout(this.sleepTimer);
    this.sleepTimer = undefined;
    this.wake?.();
  }
}
