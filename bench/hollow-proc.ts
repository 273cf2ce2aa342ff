// Process figures from Linux /proc for the cloudhub benchmark: CPU seconds and RSS of cloudcore, the
// open-file limit of this process, and this process's socket write/read byte counters.
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second (USER_HZ); 100 on every Linux the project runs on. */
const CLK_TCK = 100;

/** utime + stime of `pid` in seconds (fields 14 and 15 of /proc/<pid>/stat). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / CLK_TCK;
}

/** Peak and current resident set size of `pid` in MiB. */
export function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** The soft limit on open files of this process (ulimit -n). */
export function openFileLimit(): number {
  const limits = readFileSync('/proc/self/limits', 'utf8');
  const m = /Max open files\s+(\d+|unlimited)/.exec(limits);
  return m?.[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(m?.[1] ?? 1024);
}

/**
 * Bytes this process has passed to write()/read() system calls (/proc/self/io wchar/rchar). While the
 * hollow fleet idles and nothing else writes, the delta is the bytes its sockets sent and received
 * including WebSocket framing and TLS records (TLSSocket.bytesWritten counts cleartext only).
 */
export function selfIo(): { wchar: number; rchar: number } {
  const io = readFileSync('/proc/self/io', 'utf8');
  const get = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(io)?.[1] ?? Number.NaN);
  return { wchar: get('wchar'), rchar: get('rchar') };
}

/** CPU use of `pid` over a window, in cores (1.0 = one core busy the whole time). */
export class CpuWindow {
  private readonly cpu0: number;
  private readonly t0 = performance.now();
  constructor(private readonly pid: number) { this.cpu0 = cpuSeconds(pid); }
  cores(): number {
    const seconds = (performance.now() - this.t0) / 1000;
    return seconds > 0 ? (cpuSeconds(this.pid) - this.cpu0) / seconds : Number.NaN;
  }
}
