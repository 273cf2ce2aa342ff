// Starting one container process and watching it end. The process leads its own process group
// (detached) so stop and exit can reach everything it started. When the leader exits, the rest of the
// group is killed, as a container's processes die with its init.
import { spawn } from 'node:child_process';
import { mkdir, readdir, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { captureLogs } from './cri-log.js';
import { envObject, exitCodeOf, launchArgv, signalGroup, type HostTools } from './launch-plan.js';
import { readProcStat } from './proc-stat.js';
import type { ContainerRecord } from './state-store.js';

export interface ProcessExit { exitCode: number; signal: NodeJS.Signals | null }

export interface StartedProcess {
  pid: number;
  startTime: string;
  /** Resolves after the process ended and its log is on disk. */
  exited: Promise<ProcessExit>;
}

/** How long the log may stay open after the leader exited (a descendant that left the group holds it). */
const LOG_DRAIN_MS = 2000;

export class StartError extends Error {}

export async function startContainerProcess(rec: ContainerRecord, tools: HostTools, now: () => number): Promise<StartedProcess> {
  const plan = launchArgv(rec, tools);
  const withLog = rec.logPath !== '';
  if (withLog) await mkdir(dirname(rec.logPath), { recursive: true });
  const child = spawn(plan.file, plan.args, {
    detached: true,
    env: envObject(rec.env),
    cwd: plan.cwd,
    stdio: ['ignore', withLog ? 'pipe' : 'ignore', withLog ? 'pipe' : 'ignore', ...(rec.mountNamespace ? ['pipe' as const] : [])],
  });
  const mounted = rec.mountNamespace ? mountsReady(child.stdio[3] as Readable | undefined) : Promise.resolve();
  const exit = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ exitCode: exitCodeOf(code, signal), signal }));
  });
  // Before any await: output nobody listens to is dropped when the child exits.
  const logs = withLog && child.stdout && child.stderr ? captureLogs(rec.logPath, { stdout: child.stdout, stderr: child.stderr }, now) : undefined;
  logs?.opened.catch(() => undefined);
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (err) => reject(new StartError(`cannot run ${JSON.stringify(plan.file)}: ${err.message}`, { cause: err })));
    });
    await logs?.opened;
    // A failed mount ends the wrapper (fd 3 closes without a word): the container exits with mount's
    // error in its log, as any other failure of its command.
    await mounted;
  } catch (err) {
    logs?.cut();
    signalGroup(child.pid ?? 0, 'SIGKILL');
    throw err;
  }
  const pid = child.pid ?? 0;
  const startTime = (await readProcStat(pid))?.startTime ?? '';
  const exited = exit.then(async (e) => {
    signalGroup(pid, 'SIGKILL');
    if (logs !== undefined) {
      const capture = logs;
      const timer = setTimeout(() => capture.cut(), LOG_DRAIN_MS);
      await capture.done;
      clearTimeout(timer);
    }
    return e;
  });
  return { pid, startTime, exited };
}

function mountsReady(fd3: Readable | undefined): Promise<void> {
  if (fd3 === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    fd3.once('data', () => resolve());
    fd3.once('close', () => resolve());
    fd3.once('error', () => resolve());
    fd3.resume();
  });
}

/**
 * Makes the mount targets that do not exist yet, on the host filesystem (the process shares it): a
 * directory for a directory source, an empty file for a file source. Missing sources become
 * directories, as containerd does. Returns what was created, so removal can take it away again.
 */
export async function prepareMountTargets(mounts: ContainerRecord['mounts']): Promise<string[]> {
  const created: string[] = [];
  for (const m of mounts) {
    let srcIsDir = true;
    try {
      srcIsDir = (await stat(m.hostPath)).isDirectory();
    } catch {
      await mkdir(m.hostPath, { recursive: true });
    }
    try {
      await stat(m.containerPath);
      continue;
    } catch {
      // missing: create it below
    }
    const parentCreated = await mkdir(srcIsDir ? m.containerPath : dirname(m.containerPath), { recursive: true });
    if (parentCreated !== undefined) created.push(parentCreated);
    if (!srcIsDir) {
      await writeFile(m.containerPath, '', { flag: 'wx' });
      created.push(m.containerPath);
    }
  }
  return created;
}

/**
 * Removes mount targets we created, newest first, only while they are still empty, and never one
 * that `inUse` (a target of another container: removing it would detach that container's mount).
 */
export async function removeCreatedTargets(paths: string[], inUse: (path: string) => boolean): Promise<void> {
  for (const p of [...paths].reverse()) {
    if (inUse(p)) continue;
    try {
      const st = await stat(p);
      if (st.isDirectory()) await removeEmptyTree(p);
      else if (st.size === 0) await unlink(p);
    } catch {
      // gone already, or not empty: leave it
    }
  }
}

// mkdir -p reports only the topmost directory it made; the ones below it are ours too.
async function removeEmptyTree(dir: string): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) await removeEmptyTree(`${dir}/${e.name}`);
  }
  await rmdir(dir);
}
