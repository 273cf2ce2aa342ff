// Reconnect delays. KubeEdge's edgehub sleeps a fixed 2 × heartbeat (30 s) before every redial, so
// its nodes return ~33 s after a cloudcore restart. We start small and double up to a cap, with
// "full jitter" (a uniform draw on [0, ceiling]) so thousands of nodes do not redial in lockstep.
// Pure: the random source is passed in.

export interface BackoffPolicy {
  /** Ceiling of the first retry, ms (default 300). */
  initialMs: number;
  /** Cap of the ceiling, ms (default 30 000, the 30 s). */
  maxMs: number;
  /**
   * Fraction of the ceiling that is randomized: 1 = full jitter, delay uniform on [0, ceiling];
   * 0 = no jitter, delay = ceiling. Default 1.
   */
  jitter: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffPolicy> = { initialMs: 300, maxMs: 30_000, jitter: 1 };

/** A link that stayed up this long counts as healthy: the next failure starts from initialMs again. */
export const BACKOFF_RESET_AFTER_MS = 10_000;

/** The upper bound of the delay before retry `attempt` (1 = first retry): initial × 2^(attempt-1), capped. */
export function backoffCeiling(attempt: number, policy: BackoffPolicy): number {
  const n = Math.max(1, Math.floor(attempt));
  // Exponent clamped so 2^n never overflows to Infinity for long outages.
  const grown = policy.initialMs * 2 ** Math.min(n - 1, 40);
  return Math.min(policy.maxMs, grown);
}

/** The delay before retry `attempt`; `random` returns a number in [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = backoffCeiling(attempt, policy);
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(ceiling * (1 - jitter * r));
}
