// At most one warning per key and interval: a flood of oversized payloads or a route that throws on
// every message must not turn into a log line per message (5,000/s is the target rate).
import type { LogFields, Logger } from '../../core/index.js';

export const LOG_THROTTLE_INTERVAL_MS = 60_000;

export class LogThrottle {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly log: Logger,
    private readonly now: () => number,
    private readonly intervalMs = LOG_THROTTLE_INTERVAL_MS,
  ) {}

  /** Logs `msg` at warn unless the same key was logged within the interval; then it is only counted. */
  warn(key: string, msg: string, fields: () => LogFields): void {
    const t = this.now();
    const seen = this.last.get(key);
    if (seen !== undefined && t - seen.at < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    const suppressed = seen?.suppressed ?? 0;
    this.last.set(key, { at: t, suppressed: 0 });
    this.log.warn(msg, suppressed > 0 ? { ...fields(), suppressedSinceLast: suppressed } : fields());
  }
}
