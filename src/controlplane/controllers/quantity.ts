// Kubernetes resource quantities ("100m", "1.5", "128Mi", "2G", "1e3"): parsed exactly with BigInt so
// "0.1" CPU is 100 millicores, not 100.00000000000001. Rounding follows apimachinery: MilliValue and
// Value round up.

/** An exact quantity: mantissa × 10^exp10 × binary. */
interface ExactQuantity {
  mantissa: bigint;
  exp10: number;
  binary: bigint;
}

const binarySuffixes: Record<string, bigint> = {
  Ki: 1024n, Mi: 1024n ** 2n, Gi: 1024n ** 3n, Ti: 1024n ** 4n, Pi: 1024n ** 5n, Ei: 1024n ** 6n,
};

const decimalSuffixes: Record<string, number> = {
  n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18,
};

const pattern = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/;

export class QuantityError extends Error {
  constructor(readonly input: string) {
    super(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${JSON.stringify(input)}`);
    this.name = 'QuantityError';
  }
}

function suffixOf(suffix: string, input: string): { exp10: number; binary: bigint } {
  const bin = binarySuffixes[suffix];
  if (bin !== undefined) return { exp10: 0, binary: bin };
  const dec = decimalSuffixes[suffix];
  if (dec !== undefined) return { exp10: dec, binary: 1n };
  const exp = /^[eE]([+-]?\d+)$/.exec(suffix);
  if (exp?.[1] !== undefined) return { exp10: Number(exp[1]), binary: 1n };
  throw new QuantityError(input);
}

function parseExact(input: string | number): ExactQuantity {
  const text = typeof input === 'number' ? String(input) : input.trim();
  const m = pattern.exec(text);
  if (!m) throw new QuantityError(text);
  const [, sign = '', whole = '', fraction = '', suffix = ''] = m;
  if (whole === '' && fraction === '') throw new QuantityError(text);
  const { exp10, binary } = suffixOf(suffix, text);
  const digits = BigInt(`${whole}${fraction}` || '0');
  return { mantissa: sign === '-' ? -digits : digits, exp10: exp10 - fraction.length, binary };
}

/** Ceiling of mantissa × binary × 10^shift as a bigint. */
function scaled(q: ExactQuantity, shift: number): bigint {
  const n = q.mantissa * q.binary;
  const exp = q.exp10 + shift;
  if (exp >= 0) return n * 10n ** BigInt(exp);
  const d = 10n ** BigInt(-exp);
  const quotient = n / d;
  return n % d > 0n ? quotient + 1n : quotient;
}

/** The quantity in thousandths of its unit, rounded up: CPU "250m" → 250, "1" → 1000. */
export function milliValue(input: string | number): number {
  return Number(scaled(parseExact(input), 3));
}

/** The quantity in whole units, rounded up: memory "1Ki" → 1024, "1.5k" → 1500. */
export function quantityValue(input: string | number): number {
  return Number(scaled(parseExact(input), 0));
}

export function isQuantity(input: unknown): input is string | number {
  if (typeof input !== 'string' && typeof input !== 'number') return false;
  try {
    parseExact(input);
    return true;
  } catch {
    return false;
  }
}
