// Where the last N log entries begin, found by reading the file backwards in chunks (kubelet's
// tail.FindTailLineStartIndex), so `--tail=10` of a 1 GiB log reads kilobytes, not the file.
// Counts logical entries: a run of P lines and its closing F line is one line of output.
import type { FileHandle } from 'node:fs/promises';
import { endsEntry } from './cri-log.js';

const CHUNK = 64 * 1024;
/** Enough bytes of a line to see its timestamp, stream and tag. */
const HEAD = 96;

export async function findTailOffset(fh: FileHandle, size: number, lines: number): Promise<number> {
  if (lines <= 0) return size;
  let end = size;
  let head = Buffer.alloc(0);
  let entries = 0;
  // Start of the raw line visited just before (the one after the current one in the file).
  let next = size;
  while (end > 0) {
    const start = Math.max(0, end - CHUNK);
    const chunk = Buffer.allocUnsafe(end - start);
    const { bytesRead } = await fh.read(chunk, 0, chunk.length, start);
    const buf = Buffer.concat([chunk.subarray(0, bytesRead), head]);
    for (let i = bytesRead - 1; i >= -1; i--) {
      if (i >= 0 && buf[i] !== 0x0a) continue;
      const lineStart = i + 1;
      // The first line of the chunk may begin in the previous chunk: it is visited next round.
      if (i === -1 && start > 0) break;
      if (lineStart >= buf.length) { next = start + lineStart; continue; }
      if (endsEntry(buf, lineStart)) {
        entries++;
        if (entries > lines) return next;
      }
      next = start + lineStart;
    }
    head = Buffer.from(buf.subarray(0, Math.min(HEAD, buf.length)));
    end = start;
  }
  return 0;
}
