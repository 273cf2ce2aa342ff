// `kubectl logs` on the node: reads a CRI-format container log file the way kubelet's ReadLogs does
// (tail, since, timestamps, limitBytes, follow until the container stops and the file is drained).
import { open } from 'node:fs/promises';
import { LogAssembler, parseTimestampMs } from './cri-log.js';
import { FileWaiter } from './file-waiter.js';
import { findTailOffset } from './tail-offset.js';

export interface ReadLogOptions {
  follow: boolean;
  /** Only the last N lines (entries); undefined = all. */
  tailLines?: number;
  /** Prefix each line with its RFC3339Nano timestamp and a space, as kubelet does. */
  timestamps: boolean;
  sinceSeconds?: number;
  /** RFC 3339; sinceSeconds wins when both are set (the API server allows only one). */
  sinceTime?: string;
  /** Stop after this many bytes of output. */
  limitBytes?: number;
  /** While following: once this says false and the file is drained, the stream ends. */
  isRunning?: () => boolean;
  /** How often a followed file is re-read when no change event arrives (ms, default 250). */
  pollMs?: number;
  /** Clock for sinceSeconds (ms since the epoch); default Date.now. */
  now?: () => number;
}

const READ_CHUNK = 64 * 1024;

function sinceMs(o: ReadLogOptions): number | undefined {
  if (o.sinceSeconds !== undefined) return (o.now ?? Date.now)() - o.sinceSeconds * 1000;
  if (o.sinceTime !== undefined) {
    const t = parseTimestampMs(o.sinceTime);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

export async function* readContainerLog(path: string, opts: ReadLogOptions, signal: AbortSignal): AsyncIterable<Buffer> {
  const fh = await open(path, 'r');
  let waiter: FileWaiter | undefined;
  try {
    const since = sinceMs(opts);
    const asm = new LogAssembler({ timestamps: opts.timestamps, ...(since !== undefined ? { sinceMs: since } : {}) });
    let remaining = opts.limitBytes ?? Number.POSITIVE_INFINITY;
    const limit = (out: Buffer): Buffer => {
      const cut = out.length > remaining ? out.subarray(0, remaining) : out;
      remaining -= cut.length;
      return cut;
    };
    let pos = opts.tailLines === undefined ? 0 : await findTailOffset(fh, (await fh.stat()).size, opts.tailLines);
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    // Set once the container was seen stopped: one more read drains what it wrote last.
    let stopped = false;
    while (!signal.aborted && remaining > 0) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead > 0) {
        pos += bytesRead;
        const out = asm.push(Buffer.from(buf.subarray(0, bytesRead)));
        if (out.length > 0) yield limit(out);
        continue;
      }
      if (!opts.follow || stopped) break;
      if (opts.isRunning && !opts.isRunning()) {
        stopped = true;
        continue;
      }
      waiter ??= new FileWaiter(path, opts.pollMs ?? 250);
      await waiter.wait(signal);
    }
    if (!signal.aborted && remaining > 0) {
      const last = asm.end();
      if (last.length > 0) yield limit(last);
    }
  } finally {
    waiter?.close();
    await fh.close();
  }
}
