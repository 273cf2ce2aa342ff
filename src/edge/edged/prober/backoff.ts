// Crash-loop backoff as kubelet keeps it (client-go flowcontrol.Backoff with kubelet's values and no
// jitter): 10 s for the first failure, doubling per failure up to 5 min; a key with no failure for
// 2 × max (10 min) starts over at 10 s.
import type { Backoff, CreateBackoff } from '../pod-contracts.js';

interface Entry { delayMs: number; lastFailure: number }

export interface CrashLoopBackoff extends Backoff {
  /** The delay set by the last failure (0 when the key has none), for "back-off 20s restarting ..." messages. */
  delay(key: string, now: number): number;
}

export const DEFAULT_BACKOFF = { initialMs: 10_000, maxMs: 300_000 } as const;

export const createBackoff = ((opts: { initialMs?: number; maxMs?: number; resetAfterMs?: number } = {}): CrashLoopBackoff => {
  const initialMs = opts.initialMs ?? DEFAULT_BACKOFF.initialMs;
  const maxMs = opts.maxMs ?? DEFAULT_BACKOFF.maxMs;
  const resetAfterMs = opts.resetAfterMs ?? 2 * maxMs;
  const entries = new Map<string, Entry>();
  const live = (key: string, now: number): Entry | undefined => {
    const e = entries.get(key);
    // flowcontrol.hasExpired: stable once no failure was seen for longer than resetAfter.
    return e && now - e.lastFailure <= resetAfterMs ? e : undefined;
  };
  return {
    remaining(key, now) {
      const e = live(key, now);
      return e ? Math.max(0, e.lastFailure + e.delayMs - now) : 0;
    },
    next(key, now) {
      const e = live(key, now);
      entries.set(key, { delayMs: e ? Math.min(e.delayMs * 2, maxMs) : initialMs, lastFailure: now });
    },
    delay(key, now) {
      return live(key, now)?.delayMs ?? 0;
    },
    reset(key) {
      entries.delete(key);
    },
    gc(now) {
      for (const [key, e] of entries) if (now - e.lastFailure > resetAfterMs) entries.delete(key);
    },
  };
}) satisfies CreateBackoff;

/** Go's time.Duration.String() for whole seconds, as in kubelet's messages: 10s, 1m20s, 5m0s. */
export function formatGoDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
