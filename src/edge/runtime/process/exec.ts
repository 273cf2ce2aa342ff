// Commands run "in" a process container: the container's env, working directory and user, and its
// mount namespace (nsenter --target <pid> --mount) when it has one. Each command leads its own process
// group so a timeout or close() ends everything it started. A command that cannot be run ends with
// 127 (not found) or 126 (not executable) and the reason on stderr, as a shell would say it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readlink } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { RuntimeError, type ExecSession, type ExecSyncResult } from '../types.js';
import { envObject, exitCodeOf, shellQuote, signalGroup, type HostTools } from './launch-plan.js';
import { childrenOf } from './proc-stat.js';

export interface ExecTarget {
  env: string[];
  workingDir: string;
  /** The container's pid when it runs in its own mount namespace; 0 otherwise. */
  nsPid: number;
  /** setpriv prefix (runAsUser/runAsGroup), may be empty. */
  user: string[];
  /** Called with each started command's pid; returns the "forget it" function. */
  track(pid: number): () => void;
}

const CLOSE_WAIT_MS = 2000;
const NS_CD_SCRIPT = 'cd "$1" || exit 126; shift; exec "$@"';

function plan(target: ExecTarget, argv: string[], tools: HostTools): { file: string; args: string[]; cwd: string } {
  const full = [...target.user, ...argv];
  if (target.nsPid > 0 && tools.nsenter !== undefined) {
    // The cd happens inside the namespace (nsenter --wd would resolve the directory outside it, and
    // --wdns is too new for some util-linux releases).
    const args = ['--target', String(target.nsPid), '--mount', '--', tools.sh, '-c', NS_CD_SCRIPT, 'sh', target.workingDir, ...full];
    return { file: tools.nsenter, args, cwd: '/' };
  }
  const [file, ...args] = full;
  return { file: file ?? '', args, cwd: target.workingDir };
}

function failedStart(err: NodeJS.ErrnoException): { exitCode: number; message: string } {
  const exitCode = err.code === 'ENOENT' ? 127 : 126;
  return { exitCode, message: `exec failed: ${err.message}` };
}

/** Resolves after exit and (briefly bounded) the end of its output pipes. */
function finished(child: ChildProcess): Promise<number | { spawnError: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    child.once('error', (err) => resolve({ spawnError: err }));
    child.once('exit', (code, signal) => {
      const exitCode = exitCodeOf(code, signal);
      const timer = setTimeout(() => resolve(exitCode), CLOSE_WAIT_MS);
      child.once('close', () => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
  });
}

export async function execSyncIn(target: ExecTarget, cmd: string[], timeoutSeconds: number, tools: HostTools): Promise<ExecSyncResult> {
  if (cmd.length === 0) throw new RuntimeError('InvalidArgument', 'exec needs a command');
  const p = plan(target, cmd, tools);
  const child = spawn(p.file, p.args, { detached: true, env: envObject(target.env), cwd: p.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (b: Buffer) => out.push(b));
  child.stderr?.on('data', (b: Buffer) => err.push(b));
  const untrack = child.pid !== undefined ? target.track(child.pid) : () => undefined;
  let timedOut = false;
  const timer = timeoutSeconds > 0 ? setTimeout(() => {
    timedOut = true;
    signalGroup(child.pid ?? 0, 'SIGKILL');
  }, timeoutSeconds * 1000) : undefined;
  const end = await finished(child);
  clearTimeout(timer);
  untrack();
  if (timedOut) throw new RuntimeError('DeadlineExceeded', `command ${JSON.stringify(cmd)} timed out after ${timeoutSeconds}s`);
  if (typeof end !== 'number') {
    const f = failedStart(end.spawnError);
    return { stdout: Buffer.alloc(0), stderr: Buffer.from(`${f.message}\n`), exitCode: f.exitCode };
  }
  return { stdout: Buffer.concat(out), stderr: Buffer.concat(err), exitCode: end };
}

export interface StreamingExecRequest { cmd: string[]; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }

export async function execStreaming(target: ExecTarget, req: StreamingExecRequest, tools: HostTools): Promise<ExecSession> {
  if (req.cmd.length === 0) throw new RuntimeError('InvalidArgument', 'exec needs a command');
  let argv = req.cmd;
  const env = [...target.env];
  if (req.tty) {
    if (tools.script === undefined) {
      throw new RuntimeError('FailedPrecondition', 'exec with a terminal (tty) needs util-linux `script` on the host; run without -t');
    }
    // script gives the command a pseudo-terminal; -e returns its exit code, -f flushes at once.
    argv = [tools.script, '-qefc', shellQuote(req.cmd), '/dev/null'];
    env.push('SHELL=/bin/sh');
  }
  const p = plan(target, argv, tools);
  const child = spawn(p.file, p.args, {
    detached: true,
    env: envObject(env),
    cwd: p.cwd,
    stdio: [req.stdin ? 'pipe' : 'ignore', req.stdout ? 'pipe' : 'ignore', req.stderr && !req.tty ? 'pipe' : 'ignore'],
  });
  const untrack = child.pid !== undefined ? target.track(child.pid) : () => undefined;
  let cut = false;
  const done = finished(child).then((end) => {
    untrack();
    if (cut) return { exitCode: null, message: 'the exec session was closed' };
    if (typeof end !== 'number') return failedStart(end.spawnError);
    return { exitCode: end };
  });
  // A peer that goes away mid-write must not crash edgecore.
  child.stdin?.on('error', () => undefined);
  return {
    stdin: child.stdin ?? null,
    stdout: buffered(child.stdout),
    stderr: buffered(child.stderr),
    resize: (cols, rows) => {
      if (req.tty && child.pid !== undefined) void resizeTerminal(child.pid, cols, rows, tools);
    },
    done,
    close: () => {
      cut = true;
      signalGroup(child.pid ?? 0, 'SIGKILL');
    },
  };
}

/**
 * Node drops child output nobody reads by the time the child exits; a pass-through reads at once and
 * keeps it for a caller that attaches a moment later.
 */
function buffered(stream: Readable | null): Readable | null {
  if (stream === null) return null;
  const out = new PassThrough();
  stream.on('error', (err) => out.destroy(err));
  return stream.pipe(out);
}

/** Best effort: `stty -F <the command's pty> cols C rows R` (the kernel then sends SIGWINCH). */
async function resizeTerminal(scriptPid: number, cols: number, rows: number, tools: HostTools): Promise<void> {
  if (tools.stty === undefined || !(cols > 0) || !(rows > 0)) return;
  for (const attempt of [0, 200]) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, attempt));
    for (const pid of await childrenOf(scriptPid)) {
      const tty = await readlink(`/proc/${pid}/fd/0`).catch(() => '');
      if (!tty.startsWith('/dev/pts/')) continue;
      spawn(tools.stty, ['-F', tty, 'cols', String(cols), 'rows', String(rows)], { stdio: 'ignore' }).on('error', () => undefined);
      return;
    }
  }
}
