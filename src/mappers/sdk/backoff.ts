// Exponential backoff with full jitter and a cap, for registering with edgecore and reopening devices.

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const REGISTER_BACKOFF: BackoffPolicy = { initialMs: 200, maxMs: 5_000 };
export const DEVICE_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 30_000 };

/** Delay before attempt `attempt` (0-based): uniform in [ceiling/2, ceiling], ceiling = initial·2^attempt capped. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** Resolves after `ms`, or early (without rejecting) when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
