// The CRI container log format, as containerd and our process runtime write it (and kubelet reads it,
// pkg/kubelet/kuberuntime/logs): one entry per line, `<RFC3339Nano> <stdout|stderr> <F|P> <text>`.
// P marks a partial entry (the runtime split a long line); entries are joined until the next F.
// Pure: bytes in, output bytes out.

export interface CriEntry {
  /** As written by the runtime, e.g. 2024-05-01T10:00:00.123456789Z. */
  timestamp: string;
  stream: 'stdout' | 'stderr';
  partial: boolean;
  content: Buffer;
}

const SPACE = 0x20;
const NEWLINE = 0x0a;

/** One line without its newline; undefined when it is not in CRI format. */
export function parseCriLine(line: Buffer): CriEntry | undefined {
  const a = line.indexOf(SPACE);
  if (a <= 0) return undefined;
  const b = line.indexOf(SPACE, a + 1);
  if (b < 0) return undefined;
  const stream = line.toString('latin1', a + 1, b);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  // The tag may carry more fields after ':' (CRI allows "F:..."); only the first letter matters.
  const c = line.indexOf(SPACE, b + 1);
  const tagEnd = c < 0 ? line.length : c;
  const tag = line.toString('latin1', b + 1, tagEnd).split(':', 1)[0];
  if (tag !== 'F' && tag !== 'P') return undefined;
  return {
    timestamp: line.toString('latin1', 0, a),
    stream,
    partial: tag === 'P',
    content: c < 0 ? Buffer.alloc(0) : line.subarray(c + 1),
  };
}

/** Milliseconds since the epoch (fraction kept to the microsecond); NaN when unparsable. */
export function parseTimestampMs(ts: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (!m) return NaN;
  const whole = Date.parse(`${m[1] ?? ''}${m[3] ?? ''}`);
  const frac = m[2] ? Number(`0.${m[2]}`) * 1000 : 0;
  return whole + frac;
}

export interface AssemblerOptions {
  timestamps: boolean;
  /** Entries older than this (ms since the epoch) are dropped. */
  sinceMs?: number;
}

/**
 * Turns raw file bytes into what `kubectl logs` prints: complete logical lines, optionally prefixed
 * with `<timestamp> ` as kubelet does. Keeps the unfinished tail of the input between pushes.
 */
export class LogAssembler {
  #rest: Buffer = Buffer.alloc(0);
  #partial: { timestamp: string; parts: Buffer[] } | undefined;

  constructor(private readonly opts: AssemblerOptions) {}

  push(chunk: Buffer): Buffer {
    const data = this.#rest.length > 0 ? Buffer.concat([this.#rest, chunk]) : chunk;
    const out: Buffer[] = [];
    let start = 0;
    for (let nl = data.indexOf(NEWLINE, start); nl >= 0; nl = data.indexOf(NEWLINE, start)) {
      this.#line(data.subarray(start, nl), out);
      start = nl + 1;
    }
    this.#rest = Buffer.from(data.subarray(start));
    return Buffer.concat(out);
  }

  /** The input ended: a last line without newline counts; a pending partial entry is flushed. */
  end(): Buffer {
    const out: Buffer[] = [];
    if (this.#rest.length > 0) this.#line(this.#rest, out);
    this.#rest = Buffer.alloc(0);
    if (this.#partial) this.#emit(this.#partial.timestamp, this.#partial.parts, out, false);
    this.#partial = undefined;
    return Buffer.concat(out);
  }

  #line(raw: Buffer, out: Buffer[]): void {
    const e = parseCriLine(raw);
    if (!e) return;
    const p = this.#partial;
    if (e.partial) {
      if (p) p.parts.push(e.content);
      else this.#partial = { timestamp: e.timestamp, parts: [e.content] };
      return;
    }
    this.#partial = undefined;
    if (p) this.#emit(p.timestamp, [...p.parts, e.content], out, true);
    else this.#emit(e.timestamp, [e.content], out, true);
  }

  #emit(timestamp: string, parts: Buffer[], out: Buffer[], newline: boolean): void {
    if (this.opts.sinceMs !== undefined && !(parseTimestampMs(timestamp) >= this.opts.sinceMs)) return;
    if (this.opts.timestamps) out.push(Buffer.from(`${timestamp} `, 'latin1'));
    out.push(...parts);
    if (newline) out.push(Buffer.from('\n'));
  }
}

/** Whether the raw line starting at `at` in `buf` ends a logical entry (tag F, or not CRI at all). */
export function endsEntry(buf: Buffer, at: number): boolean {
  const a = buf.indexOf(SPACE, at);
  if (a < 0) return true;
  const b = buf.indexOf(SPACE, a + 1);
  if (b < 0 || b + 1 >= buf.length) return true;
  return buf[b + 1] !== 0x50; // 'P'
}
