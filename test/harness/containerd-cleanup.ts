// Removes what a test containerd leaves behind once it is gone: runc containers, shims, mounts under its
// dir, its CNI bridge and portmap iptables rules, stale shim sockets. Each step is best effort so one
// failure never leaves the rest behind; everything is found by this instance's dir/socket, never by name.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function quiet(cmd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, { encoding: 'utf8', timeout: 20_000 });
    return stdout;
  } catch {
    return '';
  }
}

interface Proc { pid: number; ppid: number; argv: string[] }

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // the command name may hold spaces or ')': fields after the last ')' are fixed
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.push({ pid: Number(name), ppid, argv });
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/** containerd-shim-runc-v2 processes started by the containerd on this socket. */
export function shimsOf(socket: string): Proc[] {
  return processes().filter((p) => (p.argv[0] ?? '').endsWith('containerd-shim-runc-v2') && p.argv.includes(socket));
}

function descendants(all: Proc[], roots: Set<number>): number[] {
  const found: number[] = [];
  const seen = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) {
      if (!seen.has(p.pid) && seen.has(p.ppid)) { seen.add(p.pid); found.push(p.pid); grew = true; }
    }
  }
  return found;
}

function kill(pid: number): void {
  try { process.kill(pid, 'SIGKILL'); } catch { /* gone already */ }
}

/** runc's own delete --force kills a container's processes and removes its cgroups. */
async function deleteRuncContainers(runcRoot: string): Promise<void> {
  if (!existsSync(runcRoot)) return;
  for (const ns of readdirSync(runcRoot)) {
    const root = join(runcRoot, ns);
    const ids = (await quiet('runc', ['--root', root, 'list', '-q'])).split('\n').filter(Boolean);
    for (const id of ids) await quiet('runc', ['--root', root, 'delete', '--force', id]);
  }
}

/** The shim's socket, as containerd 1.6 names it: /run/containerd/s/sha256(<address>/<ns>/<id>). */
function shimSocket(shim: Proc, socket: string): string | undefined {
  const arg = (flag: string): string | undefined => shim.argv[shim.argv.indexOf(flag) + 1];
  const ns = arg('-namespace');
  const id = arg('-id');
  if (!ns || !id) return undefined;
  return `/run/containerd/s/${createHash('sha256').update(join(socket, ns, id)).digest('hex')}`;
}

export async function killLeftovers(socket: string, runcRoot: string): Promise<void> {
  await deleteRuncContainers(runcRoot);
  const all = processes();
  const shims = all.filter((p) => (p.argv[0] ?? '').endsWith('containerd-shim-runc-v2') && p.argv.includes(socket));
  // containers the shim reparented (it is a subreaper) that runc no longer knew about
  for (const pid of descendants(all, new Set(shims.map((s) => s.pid)))) kill(pid);
  for (const shim of shims) {
    kill(shim.pid);
    const sock = shimSocket(shim, socket);
    if (sock) rmSync(sock, { force: true });
  }
  for (let i = 0; i < 50 && shimsOf(socket).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
}

/** mountinfo escapes space, tab, newline and backslash as \ooo. */
function unescapeMount(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function mountsUnder(dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const points = readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
    .map((line) => unescapeMount(line.split(' ')[4] ?? ''))
    .filter((p) => p.startsWith(prefix));
  return [...new Set(points)].sort((a, b) => b.split('/').length - a.split('/').length || b.length - a.length);
}

export async function unmountUnder(dir: string): Promise<void> {
  // a mount may be stacked several times (bind over bind): repeat until none is left
  for (let round = 0; round < 5; round++) {
    const points = mountsUnder(dir);
    if (points.length === 0) return;
    for (const p of points) await quiet('umount', ['-l', p]);
  }
}

/** Deletes the bridge (its veths went with the pods' netns) and the portmap NAT rules of this network:
 *  portmap tags its jump into CNI-HOSTPORT-DNAT with the comment `dnat name: "<network>" id: "<sandbox>"`
 *  and sends it to a per-sandbox chain CNI-DN-<hash>, which we flush and delete. The shared
 *  CNI-HOSTPORT-* chains stay: other networks may use them. */
export async function removeNetwork(bridge: string, network: string): Promise<void> {
  await quiet('ip', ['link', 'del', bridge]);
  const tag = `name: \\"${network}\\"`; // as iptables-save prints it, quotes escaped
  const saved = await quiet('iptables-save', ['-t', 'nat']);
  const chains = new Set<string>();
  for (const line of saved.split('\n')) {
    if (!line.startsWith('-A ') || !line.includes(tag)) continue;
    const m = /-j (CNI-DN-[A-Za-z0-9]+)/.exec(line);
    if (m?.[1]) chains.add(m[1]);
    await quiet('iptables', ['-t', 'nat', '-D', ...splitRule(line.slice(3))]);
  }
  for (const c of chains) {
    await quiet('iptables', ['-t', 'nat', '-F', c]);
    await quiet('iptables', ['-t', 'nat', '-X', c]);
  }
}

/** iptables-save quotes comments; split a rule into argv honouring those quotes. */
function splitRule(rule: string): string[] {
  const args: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(rule); m; m = re.exec(rule)) args.push(m[1] !== undefined ? m[1].replace(/\\"/g, '"') : (m[2] ?? ''));
  return args;
}
