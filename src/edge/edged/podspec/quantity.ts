// Kubernetes resource quantities ("250m", "0.5", "128Mi", "1G", "1e3"), the small subset edged needs.
// Parsed exactly with BigInt so "0.1" cpu is 100 millicores; rounding follows apimachinery, where
// MilliValue() and Value() round up.

const binarySuffixes: Record<string, bigint> = {
  Ki: 1024n, Mi: 1024n ** 2n, Gi: 1024n ** 3n, Ti: 1024n ** 4n, Pi: 1024n ** 5n, Ei: 1024n ** 6n,
};
const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

interface Exact { mantissa: bigint; exp10: number; binary: bigint }

function parseExact(input: unknown): Exact | undefined {
  if (typeof input === 'number') return Number.isFinite(input) ? parseExact(String(input)) : undefined;
  if (typeof input !== 'string') return undefined;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?([a-zA-Z]*|[eE][+-]?\d+)$/.exec(input.trim());
  if (!m) return undefined;
  const [, sign = '', whole = '', fraction = '', suffix = ''] = m;
  if (whole === '' && fraction === '') return undefined;
  let exp10: number;
  let binary = 1n;
  const bin = binarySuffixes[suffix];
  const dec = decimalSuffixes[suffix];
  if (bin !== undefined) { exp10 = 0; binary = bin; }
  else if (dec !== undefined) exp10 = dec;
  else if (/^[eE][+-]?\d+$/.test(suffix)) exp10 = Number(suffix.slice(1));
  else return undefined;
  const digits = BigInt(`${whole}${fraction}` || '0');
  return { mantissa: sign === '-' ? -digits : digits, exp10: exp10 - fraction.length, binary };
}

/** Ceiling of the quantity × 10^shift. */
function scaledCeil(q: Exact, shift: number): number {
  const n = q.mantissa * q.binary;
  const exp = q.exp10 + shift;
  if (exp >= 0) return Number(n * 10n ** BigInt(exp));
  const d = 10n ** BigInt(-exp);
  const quotient = n / d;
  return Number(n % d > 0n ? quotient + 1n : quotient);
}

/** The quantity in its base unit (cores, bytes) as a float; undefined when absent or malformed. */
export function parseQuantity(input: unknown): number | undefined {
  const q = parseExact(input);
  if (!q) return undefined;
  return Number(q.mantissa * q.binary) * 10 ** q.exp10;
}

/** CPU in millicores, rounded up like Quantity.MilliValue(): "250m" → 250, "0.1" → 100, "1" → 1000. */
export function parseCpuMilli(input: unknown): number | undefined {
  const q = parseExact(input);
  return q ? scaledCeil(q, 3) : undefined;
}

/** Memory (or storage) in bytes, rounded up like Quantity.Value(): "1Ki" → 1024, "1.5k" → 1500. */
export function parseMemoryBytes(input: unknown): number | undefined {
  const q = parseExact(input);
  return q ? scaledCeil(q, 0) : undefined;
}
