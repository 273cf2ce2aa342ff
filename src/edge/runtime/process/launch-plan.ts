// How a container config becomes a host command line: Docker/CRI rules for command and args, the
// environment, the user switch and the mount-namespace wrapper. Pure functions, plus the lookup of the
// host tools they need.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import type { KeyValue } from '../types.js';
import type { ImageDefaults } from './image-catalog.js';
import type { ContainerRecord } from './state-store.js';

/** What runc gives a container without PATH. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Docker/CRI: `command` replaces the image entrypoint, and then the image cmd is dropped too; `args`
 * replace the cmd. argv = entrypoint ++ cmd.
 */
export function resolveArgv(command: string[], args: string[], image: ImageDefaults): string[] {
  const entrypoint = command.length > 0 ? command : image.entrypoint ?? [];
  const cmd = args.length > 0 ? args : command.length > 0 ? [] : image.cmd ?? [];
  return [...entrypoint, ...cmd];
}

/** Image env, then the container's envs (later wins), then PATH when neither set it. */
export function buildEnv(imageEnv: string[] | undefined, envs: KeyValue[]): string[] {
  const map = new Map<string, string>();
  for (const kv of imageEnv ?? []) {
    const eq = kv.indexOf('=');
    if (eq > 0) map.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  for (const kv of envs) map.set(kv.key, kv.value);
  if (!map.has('PATH')) map.set('PATH', DEFAULT_PATH);
  return [...map].map(([k, v]) => `${k}=${v}`);
}

export function envObject(env: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of env) {
    const eq = kv.indexOf('=');
    if (eq > 0) out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const signo = signal === null ? undefined : osConstants.signals[signal];
  return 128 + (signo ?? 9);
}

/** Signals a whole process group (our containers lead their own); a gone group is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  if (pgid <= 0) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: already gone
  }
}

export interface HostTools {
  sh: string;
  unshare?: string;
  mount?: string;
  nsenter?: string;
  script?: string;
  setpriv?: string;
  stty?: string;
  isRoot: boolean;
  clockTicksPerSecond: number;
}

const TOOL_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

async function findTool(name: string): Promise<string | undefined> {
  for (const dir of TOOL_DIRS) {
    const p = `${dir}/${name}`;
    try {
      await access(p, constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return undefined;
}

export async function findHostTools(): Promise<HostTools> {
  const [sh, unshare, mount, nsenter, script, setpriv, stty, getconf] = await Promise.all(
    ['sh', 'unshare', 'mount', 'nsenter', 'script', 'setpriv', 'stty', 'getconf'].map(findTool),
  );
  let ticks = 100;
  if (getconf !== undefined) {
    const n = Number(spawnSync(getconf, ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim());
    if (Number.isInteger(n) && n > 0) ticks = n;
  }
  const tools: HostTools = { sh: sh ?? '/bin/sh', isRoot: process.getuid?.() === 0, clockTicksPerSecond: ticks };
  if (unshare) tools.unshare = unshare;
  if (mount) tools.mount = mount;
  if (nsenter) tools.nsenter = nsenter;
  if (script) tools.script = script;
  if (setpriv) tools.setpriv = setpriv;
  if (stty) tools.stty = stty;
  return tools;
}

/** Why this host cannot give a container its mounts, or undefined when it can. */
export function mountSupportProblem(tools: HostTools): string | undefined {
  if (!tools.isRoot) return 'the process runtime can only give containers their volume mounts when edgecore runs as root (it bind-mounts them in a private mount namespace)';
  if (tools.unshare === undefined || tools.mount === undefined) return 'the process runtime needs util-linux unshare and mount on the host to give containers their volume mounts';
  return undefined;
}

/** setpriv prefix for runAsUser/runAsGroup; empty when the container runs as edgecore's user. */
export function userPrefix(rec: Pick<ContainerRecord, 'runAsUser' | 'runAsGroup'>, tools: HostTools): string[] {
  if (rec.runAsUser === undefined && rec.runAsGroup === undefined) return [];
  if (tools.setpriv === undefined) return [];
  const out = [tools.setpriv];
  if (rec.runAsGroup !== undefined) out.push(`--regid=${rec.runAsGroup}`);
  if (rec.runAsUser !== undefined) out.push(`--reuid=${rec.runAsUser}`);
  out.push('--clear-groups', '--');
  return out;
}

/**
 * Runs inside `unshare --mount --propagation private`: bind-mounts each (source, target, ro|rw) triple,
 * remounts read-only ones, changes to the working directory (after the mounts, so a working directory
 * inside a mount sees the mounted content), reports on fd 3 and execs the command (same pid, so
 * signals reach it).
 * Paths travel as arguments, never spliced into the script. A failed mount ends the container with
 * mount's error in its log.
 */
export const MOUNT_WRAPPER_SCRIPT = [
  'set -e',
  'mnt=$1; wd=$2; n=$3; shift 3',
  'while [ "$n" -gt 0 ]; do',
  '  "$mnt" --bind "$1" "$2"',
  '  if [ "$3" = ro ]; then "$mnt" -o remount,bind,ro "$2"; fi',
  '  shift 3; n=$((n - 1))',
  'done',
  'cd "$wd"',
  // Tell the runtime the mounts are in place (fd 3), so an exec right after start sees them.
  'echo mounted >&3; exec 3>&-',
  'exec "$@"',
].join('\n');

export interface LaunchArgv { file: string; args: string[]; cwd: string }

export function launchArgv(rec: ContainerRecord, tools: HostTools): LaunchArgv {
  const argv = [...userPrefix(rec, tools), ...rec.argv];
  if (!rec.mountNamespace) {
    const [file, ...args] = argv;
    return { file: file ?? '', args, cwd: rec.workingDir };
  }
  const triples = rec.mounts.flatMap((m) => [m.hostPath, m.containerPath, m.readonly ? 'ro' : 'rw']);
  return {
    file: tools.unshare ?? 'unshare',
    args: ['--mount', '--propagation', 'private', tools.sh, '-c', MOUNT_WRAPPER_SCRIPT, 'sh',
      tools.mount ?? 'mount', rec.workingDir, String(rec.mounts.length), ...triples, ...argv],
    cwd: '/',
  };
}

/** Quotes for a POSIX shell (script -c takes one command string). */
export function shellQuote(args: string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
