import { UsageError } from './errors.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "1h", "30m", "1h30m", "2d" → milliseconds (Go duration style, plus d for days). */
export function parseDuration(text: string, flag: string): number {
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    total += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
    consumed += m[0].length;
  }
  if (text === '' || consumed !== text.length || !(total > 0)) {
    throw new UsageError(`--${flag} takes a duration like 30m, 1h or 7d, not "${text}"`);
  }
  return total;
}
