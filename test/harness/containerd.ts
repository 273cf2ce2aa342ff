// Runs a real containerd (Debian's 1.6, /usr/bin/containerd) for tests, in its own temp dir with its own
// config, and cleans up everything it leaves behind. Findings on this machine (root, no systemd, cgroup v1
// hybrid, no CAP_SYS_RESOURCE, shared with other work):
// - restrict_oom_score_adj = true is required: without it the CRI plugin gives the sandbox oom_score_adj
//   -998, which we may not set, and RunPodSandbox fails with runc's opaque "can't get final child's PID
//   from pipe: EOF".
// - Everything lives under one short dir (/tmp/kctd-XXXXXX): root, state, runc root, CNI conf and
//   host-local IPAM state, registry certs.d, opt; the socket path must stay under 107 bytes.
//   netns_mounts_under_state_dir keeps pod netns mounts out of /var/run/netns. The runc option Root
//   keeps container state out of /run/containerd/runc; `ctr run` ignores it, hence ctrRunFlags
//   (--runc-root, --fifo-dir). Shim sockets stay in /run/containerd/s/<sha256> (fixed in 1.6; the hash
//   covers our socket path, so instances never collide).
// - ttrpc is on <socket>.ttrpc; debug and metrics listeners are off (address ""); the CRI streaming
//   server is on 127.0.0.1 with a random port. The v1 linux runtime cannot be disabled: the tasks
//   service refuses to load without it ("unknown service containerd.services.tasks.v1.Tasks").
// - overlayfs works on /tmp here (ext4); we probe with a real mount and fall back to native. ctr() sets
//   CONTAINERD_SNAPSHOTTER so ctr unpacks and runs with the same snapshotter as the CRI plugin.
// - CNI: one bridge per instance on a reserved 10.2xx.y.0/24 (see containerd-config.ts); the CRI plugin
//   adds loopback itself; portmap makes hostPort reachable on 127.0.0.1 and on the host's addresses.
// - Start takes ~0.2 s. Shims and containers outlive containerd (that is how restart() re-attaches), so
//   stop() deletes containers with `runc delete --force`, kills this socket's shims, unmounts, removes
//   the bridge and this network's portmap rules, then the dir. After kill() the stale socket file stays
//   (connections are refused) until restart() or stop().
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { cniConflist, containerdConfig, detectSnapshotter, releaseSubnet, reserveSubnet, type Snapshotter, type Subnet } from './containerd-config.js';
import { killLeftovers, removeNetwork, unmountUnder } from './containerd-cleanup.js';

const run = promisify(execFile);

/** The pause image the CRI plugin uses as sandbox_image (built by images.ts). */
export const SANDBOX_IMAGE = 'kubeedge-ts.local/pause:3.9';

export interface Containerd {
  dir: string;
  /** Absolute path of containerd's gRPC socket (CRI and containerd API). */
  socket: string;
  /** 'unix://' + socket, for CRI clients. */
  endpoint: string;
  /** containerd's current PID (changes on restart()). */
  readonly pid: number;
  snapshotter: Snapshotter;
  /** runc state root shared by CRI and ctrRunFlags. */
  runcRoot: string;
  /** CNI network: its bridge, subnet and name. */
  network: { bridge: string; cidr: string; name: string };
  /** certs.d dir of the CRI registry config (hosts.toml per registry host). */
  certsDir: string;
  /** The config.toml it runs on: edit it and restart() to test another setting. */
  configFile: string;
  /** Flags `ctr run` needs so its container state stays in dir: put them right after `run`. */
  ctrRunFlags: string[];
  /** Runs ctr against this containerd (namespace default k8s.io); resolves stdout, rejects with stderr. */
  ctr(args: string[], options?: { namespace?: string; timeoutMs?: number }): Promise<string>;
  /** containerd's log so far. */
  logs(): string;
  stop(): Promise<void>;
  /** SIGKILL containerd only (shims and containers live on): for 'CRI socket disappears' tests. */
  kill(): void;
  /** Start containerd again on the same dir and socket (stops it first if it still runs). */
  restart(): Promise<void>;
  /**
   * A power cut: SIGKILL containerd, its shims and every container, and drop their mounts, keeping the
   * data dir (images, snapshots, container records) as a disk would. restart() then boots it again.
   */
  crash(): Promise<void>;
}

export interface ContainerdOptions {
  /** Empty or missing dir to run in; default a fresh /tmp/kctd-XXXXXX (short: socket path limit). */
  dir?: string;
  snapshotter?: Snapshotter;
  /** How long to wait for the socket to answer, ms (default 30000). */
  startTimeoutMs?: number;
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startContainerd(options: ContainerdOptions = {}): Promise<Containerd> {
  const dir = resolve(options.dir ?? mkdtempSync('/tmp/kctd-'));
  mkdirSync(dir, { recursive: true });
  const socket = join(dir, 'containerd.sock');
  if (Buffer.byteLength(socket) > 107) throw new Error(`containerd socket path too long for a unix socket: ${socket}`);
  const runcRoot = join(dir, 'runc');
  const cniConfDir = join(dir, 'cni.d');
  const certsDir = join(dir, 'certs.d');
  const logFile = join(dir, 'containerd.log');
  const configFile = join(dir, 'config.toml');
  for (const d of [runcRoot, cniConfDir, certsDir, join(dir, 'fifo')]) mkdirSync(d, { recursive: true });
  const snapshotter = options.snapshotter ?? detectSnapshotter(dir);
  const subnet: Subnet = reserveSubnet(dir);
  writeFileSync(join(cniConfDir, '10-kets-bridge.conflist'), cniConflist(subnet, join(dir, 'cni-ipam')));
  writeFileSync(configFile, containerdConfig({ dir, socket, runcRoot, cniConfDir, certsDir, snapshotter, sandboxImage: SANDBOX_IMAGE }));

  const ctrEnv = (namespace: string): NodeJS.ProcessEnv => ({
    ...process.env, CONTAINERD_ADDRESS: socket, CONTAINERD_NAMESPACE: namespace, CONTAINERD_SNAPSHOTTER: snapshotter,
  });
  const ctr = async (args: string[], o: { namespace?: string; timeoutMs?: number } = {}): Promise<string> => {
    try {
      const { stdout } = await run('ctr', ['--address', socket, '--namespace', o.namespace ?? 'k8s.io', ...args], {
        env: ctrEnv(o.namespace ?? 'k8s.io'), encoding: 'utf8', timeout: o.timeoutMs ?? 60_000, maxBuffer: 16 << 20,
      });
      return stdout;
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`ctr ${args.join(' ')} failed: ${(e.stderr ?? '').trim() || e.message}`, { cause: err });
    }
  };

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const alive = (): boolean => !!child && child.exitCode === null && child.signalCode === null;

  const launch = async (): Promise<void> => {
    rmSync(socket, { force: true }); // a SIGKILLed containerd leaves its socket file behind
    const fd = openSync(logFile, 'a');
    const proc = spawn('/usr/bin/containerd', ['--config', configFile], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    child = proc;
    exited = new Promise((r) => proc.once('exit', () => r()));
    let spawnError: Error | undefined;
    proc.once('error', (e) => { spawnError = e; });
    const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
    for (;;) {
      if (spawnError || !alive()) {
        throw new Error(`containerd exited during start (${spawnError?.message ?? `code ${proc.exitCode}, signal ${proc.signalCode}`}); log tail:\n${tail(logFile)}`);
      }
      if (existsSync(socket)) {
        try {
          await ctr(['version'], { timeoutMs: 5_000 });
          return;
        } catch {
          // socket there but not serving yet
        }
      }
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`containerd did not answer on ${socket} in time; log tail:\n${tail(logFile)}`);
      }
      await sleep(100);
    }
  };

  const terminate = async (): Promise<void> => {
    const proc = child;
    if (!proc || !alive()) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  // a test process that dies without stop() must not leave containerd serving (the rest needs async work)
  const onExit = (): void => { if (alive()) child?.kill('SIGKILL'); };
  process.on('exit', onExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.off('exit', onExit);
      await terminate();
      await killLeftovers(socket, runcRoot);
      await unmountUnder(dir);
      await removeNetwork(subnet.bridge, subnet.network);
      releaseSubnet(subnet);
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    })();
    return stopping;
  };

  try {
    await launch();
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    dir, socket, endpoint: `unix://${socket}`, snapshotter, runcRoot, certsDir, configFile,
    network: { bridge: subnet.bridge, cidr: subnet.cidr, name: subnet.network },
    ctrRunFlags: ['--runc-root', runcRoot, '--fifo-dir', join(dir, 'fifo')],
    get pid(): number { return child?.pid ?? 0; },
    ctr,
    logs: () => { try { return readFileSync(logFile, 'utf8'); } catch { return ''; } },
    stop,
    kill: () => { if (alive()) child?.kill('SIGKILL'); },
    restart: async () => {
      if (stopping) throw new Error('containerd harness: restart() after stop()');
      await terminate();
      await launch();
    },
    crash: async () => {
      if (alive()) child?.kill('SIGKILL');
      await terminate();
      await killLeftovers(socket, runcRoot);
      await unmountUnder(dir);
    },
  };
}
