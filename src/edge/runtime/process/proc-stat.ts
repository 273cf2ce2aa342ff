// Reads of /proc for the process runtime: a process's start time (to tell our pid from a recycled one
// after a restart), its children (to find an exec's terminal) and a process group's CPU and memory.
// Linux only; elsewhere the reads find nothing and callers treat that as "unknown".
import { readdir, readFile } from 'node:fs/promises';

export interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  pgrp: number;
  /** Clock ticks. */
  utime: number;
  stime: number;
  /** Clock ticks since boot, as text (compared, never computed with). */
  startTime: string;
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and parentheses, so split after the last ')'. */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const f = text.slice(close + 2).trim().split(/\s+/);
  const num = (i: number) => Number(f[i]);
  const startTime = f[19];
  if (!Number.isInteger(pid) || startTime === undefined) return undefined;
  return { pid, state: f[0] ?? '?', ppid: num(1), pgrp: num(2), utime: num(11), stime: num(12), startTime };
}

export async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The start time of a live (not zombie) process, or undefined. */
export async function liveStartTime(pid: number): Promise<string | undefined> {
  const st = await readProcStat(pid);
  return st === undefined || st.state === 'Z' || st.state === 'X' ? undefined : st.startTime;
}

async function allStats(): Promise<ProcStat[]> {
  let names: string[];
  try {
    names = await readdir('/proc');
  } catch {
    return [];
  }
  const pids = names.filter((n) => /^\d+$/.test(n)).map(Number);
  const stats = await Promise.all(pids.map(readProcStat));
  return stats.filter((s): s is ProcStat => s !== undefined);
}

export async function childrenOf(pid: number): Promise<number[]> {
  return (await allStats()).filter((s) => s.ppid === pid).map((s) => s.pid);
}

/** "VmRSS:  1234 kB" -> bytes. */
export function parseVmRssBytes(statusText: string): number | undefined {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(statusText);
  return m?.[1] === undefined ? undefined : Number(m[1]) * 1024;
}

export interface GroupUsage { cpuNanoSeconds: number; rssBytes: number; processes: number }

/** CPU time and resident memory summed over the live members of process group `pgid`. */
export async function groupUsage(pgid: number, clockTicksPerSecond: number): Promise<GroupUsage | undefined> {
  const members = (await allStats()).filter((s) => s.pgrp === pgid && s.state !== 'Z');
  if (members.length === 0) return undefined;
  let ticks = 0;
  let rss = 0;
  for (const m of members) {
    ticks += m.utime + m.stime;
    try {
      rss += parseVmRssBytes(await readFile(`/proc/${m.pid}/status`, 'utf8')) ?? 0;
    } catch {
      // exited meanwhile
    }
  }
  return { cpuNanoSeconds: Math.round((ticks * 1e9) / clockTicksPerSecond), rssBytes: rss, processes: members.length };
}
