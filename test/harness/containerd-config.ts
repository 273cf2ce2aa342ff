// The files a test containerd runs on: its config.toml, the CNI bridge conflist, and a subnet reservation
// so that several containerds on this machine (other test files, other work) never share a bridge or a
// subnet. Pure text builders plus small file operations; see containerd.ts for why each setting is there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Snapshotter = 'overlayfs' | 'native';

export interface ContainerdLayout {
  dir: string;
  socket: string;
  runcRoot: string;
  cniConfDir: string;
  certsDir: string;
  snapshotter: Snapshotter;
  sandboxImage: string;
}

/** Plugins we never use: skipping them makes start-up faster and the log quieter. */
const DISABLED_PLUGINS = [
  'io.containerd.snapshotter.v1.aufs',
  'io.containerd.snapshotter.v1.btrfs',
  'io.containerd.snapshotter.v1.zfs',
  'io.containerd.snapshotter.v1.devmapper',
  'io.containerd.internal.v1.tracing',
  'io.containerd.tracing.processor.v1.otlp',
];

const q = (s: string): string => JSON.stringify(s); // TOML basic strings accept JSON string escapes

export function containerdConfig(l: ContainerdLayout): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `version = 2
root = ${q(join(l.dir, 'root'))}
state = ${q(join(l.dir, 'state'))}
disabled_plugins = [${DISABLED_PLUGINS.map(q).join(', ')}]

[grpc]
  address = ${q(l.socket)}
[ttrpc]
  address = ${q(`${l.socket}.ttrpc`)}
[debug]
  address = ""
  level = "info"
[metrics]
  address = ""

[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = ${q(join(l.dir, 'opt'))}
  # the tasks service will not load without the v1 runtime; keep its (unused) runc root in dir too
  [plugins."io.containerd.runtime.v1.linux"]
    runtime_root = ${q(join(l.dir, 'runc-v1'))}
  [${cri}]
    sandbox_image = ${q(l.sandboxImage)}
    restrict_oom_score_adj = true
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"
    disable_tcp_service = true
    netns_mounts_under_state_dir = true
    enable_unprivileged_ports = false
    [${cri}.cni]
      bin_dir = "/usr/lib/cni"
      conf_dir = ${q(l.cniConfDir)}
      max_conf_num = 1
    [${cri}.containerd]
      default_runtime_name = "runc"
      snapshotter = ${q(l.snapshotter)}
      [${cri}.containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [${cri}.containerd.runtimes.runc.options]
          Root = ${q(l.runcRoot)}
          SystemdCgroup = false
    [${cri}.registry]
      config_path = ${q(l.certsDir)}
`;
}

export interface Subnet {
  /** e.g. 10.213.7.0/24 */
  cidr: string;
  /** e.g. kcb213-7 (Linux interface names are at most 15 bytes). */
  bridge: string;
  /** CNI network name, also the comment portmap puts on its iptables rules. */
  network: string;
  reservation: string;
}

/** A bridge conflist: bridge + host-local (its state inside dir) + portmap for hostPort. The CRI plugin
 *  adds the loopback network itself (go-cni WithLoNetwork), so it is not in the chain. */
export function cniConflist(subnet: Subnet, ipamDir: string): string {
  const gateway = subnet.cidr.replace(/0\/24$/, '1');
  return `${JSON.stringify({
    cniVersion: '1.0.0',
    name: subnet.network,
    plugins: [
      {
        type: 'bridge', bridge: subnet.bridge, isGateway: true, ipMasq: false, hairpinMode: true,
        ipam: { type: 'host-local', ranges: [[{ subnet: subnet.cidr, gateway }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: ipamDir },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  }, null, 2)}\n`;
}

function reservationsDir(): string {
  const dir = join(tmpdir(), 'kubeedge-ts-cni-subnets');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Addresses already on this host, so we never pick a subnet someone else routes. */
function hostRoutes(): string {
  try {
    return execFileSync('ip', ['-4', 'route', 'show', 'table', 'all'], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

/** Drops reservations whose containerd dir is gone (a test process that died without stop()). */
function pruneStale(dir: string): void {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    try {
      const owner = readFileSync(file, 'utf8').trim();
      if (owner && !existsSync(owner)) rmSync(file, { force: true });
    } catch {
      // raced with its owner's release: fine
    }
  }
}

/** Reserves a free 10.{200..249}.{0..255}.0/24 with an O_EXCL file naming the containerd dir. */
export function reserveSubnet(ownerDir: string): Subnet {
  const dir = reservationsDir();
  pruneStale(dir);
  const routes = hostRoutes();
  for (let attempt = 0; attempt < 200; attempt++) {
    const a = 200 + Math.floor(Math.random() * 50);
    const b = Math.floor(Math.random() * 256);
    const prefix = `10.${a}.${b}.`;
    if (routes.includes(prefix)) continue;
    const reservation = join(dir, `${a}-${b}`);
    let fd: number;
    try {
      fd = openSync(reservation, 'wx');
    } catch {
      continue; // taken by another instance
    }
    writeFileSync(fd, `${ownerDir}\n`);
    closeSync(fd);
    return { cidr: `${prefix}0/24`, bridge: `kcb${a}-${b}`, network: `kets-${a}-${b}`, reservation };
  }
  throw new Error('no free 10.200-249.x.0/24 subnet for the test CNI bridge');
}

export function releaseSubnet(subnet: Subnet): void {
  rmSync(subnet.reservation, { force: true });
}

/** overlayfs when a test mount works here (it needs a filesystem with d_type and no nested-overlay
 *  trouble), else native (copies layers: slower, always works). */
export function detectSnapshotter(dir: string): Snapshotter {
  const base = join(dir, 'overlay-probe');
  const [lower, upper, work, merged] = ['lower', 'upper', 'work', 'merged'].map((n) => join(base, n)) as [string, string, string, string];
  for (const d of [lower, upper, work, merged]) mkdirSync(d, { recursive: true });
  let ok = false;
  try {
    execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${upper},workdir=${work}`, merged], { stdio: 'ignore' });
    ok = true;
    execFileSync('umount', [merged], { stdio: 'ignore' });
  } catch {
    // not supported (or not root): native
  }
  rmSync(base, { recursive: true, force: true });
  return ok ? 'overlayfs' : 'native';
}
