// Starting and stopping edgecore for join and reset. There is no systemd here (KubeEdge's keadm installs
// a unit); a detached edgecore writes its pid to <data-dir>/edgecore.pid and its logs to edgecore.log.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** False only when /proc shows the pid runs something else (a reused pid); true where /proc is absent. */
export function looksLikeEdgecore(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('edgecore');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ENOENT' || !isAlive(pid);
  }
}

export async function readPidFile(path: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(path, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The pid of a running edgecore recorded in pidFile, if any. */
export async function runningEdgecore(pidFile: string): Promise<number | undefined> {
  const pid = await readPidFile(pidFile);
  return pid !== undefined && isAlive(pid) && looksLikeEdgecore(pid) ? pid : undefined;
}

export async function startDetached(opts: { bin: string; config: string; logFile: string; pidFile: string }): Promise<number> {
  const fd = openSync(opts.logFile, 'a', 0o600);
  try {
    const child = spawn(process.execPath, [opts.bin, '--config', opts.config], { detached: true, stdio: ['ignore', fd, fd] });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolve(child.pid as number));
    });
    child.unref();
    await writeFile(opts.pidFile, `${pid}\n`, { mode: 0o644 });
    return pid;
  } finally {
    closeSync(fd);
  }
}

/** Runs edgecore attached to this terminal, forwarding SIGINT/SIGTERM; resolves with its exit code. */
export function runForeground(opts: { bin: string; config: string }): Promise<number> {
  const child = spawn(process.execPath, [opts.bin, '--config', opts.config], { stdio: 'inherit' });
  const forward = (sig: NodeJS.Signals) => (): void => { child.kill(sig); };
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      const signum = signal ? ({ SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 1 : 0;
      resolve(code ?? 128 + signum);
    });
  });
}

/** SIGTERM, then SIGKILL if it is still alive after timeoutMs. */
export async function stopProcess(pid: number, timeoutMs: number): Promise<'terminated' | 'killed' | 'not_running'> {
  if (!isAlive(pid)) return 'not_running';
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return 'not_running';
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'terminated';
    await sleep(100);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return 'terminated';
  }
  return 'killed';
}
