// Container logs in the CRI log format kubelet (and `kubectl logs`) read:
//   <RFC3339Nano timestamp> <stdout|stderr> <F|P> <text>\n
// F ends a line; P is a partial line: a line longer than 16 KiB is cut into 16 KiB P pieces (as
// containerd's maxContainerLogLineSize), and text left without a newline when the stream ends is
// written as P (containerd does the same). The splitter and formatter are pure; the writer owns a file.
import { open } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';

export type LogStream = 'stdout' | 'stderr';
export type LogTag = 'F' | 'P';

/** containerd's default max_container_log_line_size. */
export const MAX_LOG_LINE_BYTES = 16 * 1024;

export interface LogPiece { tag: LogTag; content: Buffer }

/** RFC3339 with nine fraction digits in UTC; ms precision is all Date gives, the rest is zeros. */
export function formatLogTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2025-01-01T12:00:00.123Z
  return `${iso.slice(0, -1)}000000Z`;
}

export function formatCriLogLine(timestamp: string, stream: LogStream, piece: LogPiece): Buffer {
  return Buffer.concat([Buffer.from(`${timestamp} ${stream} ${piece.tag} `), piece.content, Buffer.from('\n')]);
}

/** Cuts a byte stream into CRI log pieces. Feed chunks with push(), then call end() once. */
export class CriLineSplitter {
  private pending: Buffer[] = [];
  private pendingLength = 0;

  constructor(private readonly maxLine = MAX_LOG_LINE_BYTES) {}

  push(chunk: Buffer): LogPiece[] {
    const out: LogPiece[] = [];
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start);
      const end = nl === -1 ? chunk.length : nl;
      if (end > start) this.append(chunk.subarray(start, end));
      // A line of exactly maxLine bytes is still one F line; only longer ones are cut.
      while (this.pendingLength > this.maxLine) out.push({ tag: 'P', content: this.take(this.maxLine) });
      if (nl === -1) break;
      out.push({ tag: 'F', content: this.take(this.pendingLength) });
      start = nl + 1;
    }
    return out;
  }

  end(): LogPiece[] {
    return this.pendingLength > 0 ? [{ tag: 'P', content: this.take(this.pendingLength) }] : [];
  }

  private append(b: Buffer): void {
    this.pending.push(b);
    this.pendingLength += b.length;
  }

  private take(n: number): Buffer {
    const all = Buffer.concat(this.pending, this.pendingLength);
    const head = all.subarray(0, n);
    const rest = all.subarray(n);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingLength = rest.length;
    return head;
  }
}

export interface LogCapture {
  /** Resolves once the file exists (a log reader never sees a started container without its file). */
  opened: Promise<void>;
  /** Resolves when both streams ended and every line is on disk. */
  done: Promise<void>;
  /** Stops reading (for streams held open by an escaped descendant) and flushes what was read. */
  cut(): void;
}

/**
 * Copies the streams into `path` (opened for append, created when missing) as CRI log lines. Listens
 * at once, before the file is open: Node discards child output that nobody reads when the child exits.
 */
export function captureLogs(path: string, streams: Record<LogStream, Readable>, now: () => number): LogCapture {
  let early: Buffer[] | undefined = [];
  let out: Writable | undefined;
  const write = (b: Buffer) => (out === undefined ? early?.push(b) : out.write(b));
  const pumps = (Object.keys(streams) as LogStream[]).map((name) => pump(streams[name], name, write, now));
  const opened = open(path, 'a').then((file) => {
    out = file.createWriteStream();
    for (const b of early ?? []) out.write(b);
    early = undefined;
  });
  const done = Promise.all([opened.catch(() => undefined), ...pumps.map((p) => p.ended)]).then(
    () => new Promise<void>((resolve) => { out?.end(() => resolve()); }),
  );
  return { opened, done, cut: () => { for (const p of pumps) p.cut(); } };
}

function pump(stream: Readable, name: LogStream, write: (b: Buffer) => unknown, now: () => number) {
  const splitter = new CriLineSplitter();
  const emit = (pieces: LogPiece[]) => {
    if (pieces.length === 0) return;
    const ts = formatLogTimestamp(now());
    write(Buffer.concat(pieces.map((p) => formatCriLogLine(ts, name, p))));
  };
  let finish: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => {
    let over = false;
    finish = () => {
      if (over) return;
      over = true;
      emit(splitter.end());
      resolve();
    };
  });
  stream.on('data', (chunk: Buffer) => emit(splitter.push(chunk)));
  stream.once('end', () => finish());
  stream.once('close', () => finish());
  stream.once('error', () => finish());
  return { ended, cut: () => { stream.destroy(); finish(); } };
}
