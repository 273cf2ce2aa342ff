// Delays between dials of the external broker. KubeEdge's eventbus redials every 5 s forever
// (util.LoopConnect); we double from minMs up to maxMs and draw each delay in [ceiling/2, ceiling]
// ("equal jitter") so the nodes of a site do not hammer a restarted broker in lockstep, yet never
// redial at once. Pure: the random source is passed in.

export interface ReconnectPolicy {
  /** Ceiling of the first retry, ms. */
  minMs: number;
  /** Cap of the ceiling, ms. */
  maxMs: number;
}

export const DEFAULT_RECONNECT: Readonly<ReconnectPolicy> = { minMs: 500, maxMs: 30_000 };

/** A connection that stayed up this long counts as healthy: the next failure starts from minMs again. */
export const RECONNECT_RESET_AFTER_MS = 10_000;

/** The delay before retry `attempt` (1 = first retry); `random` returns a number in [0, 1). */
export function reconnectDelay(attempt: number, policy: ReconnectPolicy, random: () => number): number {
  const n = Math.max(1, Math.floor(attempt));
  const min = Math.max(1, policy.minMs);
  // Exponent clamped so 2^n stays finite through long outages.
  const ceiling = Math.min(Math.max(min, policy.maxMs), min * 2 ** Math.min(n - 1, 40));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}

export function resolveReconnectPolicy(input: { minMs?: number; maxMs?: number } | undefined): ReconnectPolicy {
  const minMs = input?.minMs ?? DEFAULT_RECONNECT.minMs;
  const maxMs = input?.maxMs ?? Math.max(minMs, DEFAULT_RECONNECT.maxMs);
  return { minMs, maxMs: Math.max(minMs, maxMs) };
}
