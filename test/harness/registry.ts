// A throwaway image registry for pull tests: Debian's docker-registry (distribution 2.8) on a free
// 127.0.0.1 port with its storage in a temp dir, images pushed into it with skopeo from the OCI archives
// images.ts builds, and a hosts.toml that lets a test containerd pull from it over plain http.
// The package's systemd unit is never used (no systemd here); we run the binary by hand and stop it by PID.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Containerd } from './containerd.js';
import { freePort } from './ports.js';

const run = promisify(execFile);
const REGISTRY_BIN = '/usr/bin/docker-registry';

export interface Registry {
  /** host:port to put in image references, e.g. 127.0.0.1:41234 */
  host: string;
  port: number;
  dir: string;
  readonly pid: number;
  /** Pushes an OCI archive as <host>/<name> (name like 'busybox:1.36'); resolves the full reference. */
  push(tar: string, name: string): Promise<string>;
  logs(): string;
  stop(): Promise<void>;
}

/** Whether the registry binary is installed (apt-get install docker-registry). */
export function registryAvailable(): boolean {
  return existsSync(REGISTRY_BIN);
}

function v2Status(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/v2/', timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

function config(dir: string, port: number): string {
  return `version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${JSON.stringify(join(dir, 'data'))}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:${port}
`;
}

export async function startRegistry(options: { dir?: string; startTimeoutMs?: number } = {}): Promise<Registry> {
  if (!registryAvailable()) throw new Error(`${REGISTRY_BIN} missing: apt-get install docker-registry`);
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'kets-registry-'));
  mkdirSync(join(dir, 'data'), { recursive: true });
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const configFile = join(dir, 'config.yml');
  const logFile = join(dir, 'registry.log');
  writeFileSync(configFile, config(dir, port));
  const fd = openSync(logFile, 'a');
  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', configFile], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.once('error', () => undefined); // reported below as "exited during start"
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  const logs = (): string => { try { return readFileSync(logFile, 'utf8'); } catch { return ''; } };

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (alive()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
  while ((await v2Status(port)) !== 200) {
    if (!alive() || Date.now() > deadline) {
      const log = logs();
      await stop();
      throw new Error(`docker-registry did not answer on ${host}; log:\n${log.split('\n').slice(-20).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    host, port, dir, logs, stop,
    get pid(): number { return child.pid ?? 0; },
    push: async (tar, name) => {
      const ref = `${host}/${name}`;
      try {
        // --insecure-policy: no signature policy for a local test registry; plain http on loopback
        await run('skopeo', ['--insecure-policy', 'copy', '--quiet', '--dest-tls-verify=false', `oci-archive:${tar}`, `docker://${ref}`], { timeout: 120_000 });
      } catch (err) {
        const e = err as { stderr?: string; message: string };
        throw new Error(`skopeo push of ${tar} to ${ref} failed: ${(e.stderr ?? '').trim() || e.message}`, { cause: err });
      }
      return ref;
    },
  };
}

/** Lets the CRI plugin of a test containerd pull from this registry over plain http
 *  (writes <certs.d>/<host>/hosts.toml; the CRI plugin reads it on every pull, no restart needed). */
export function trustRegistry(containerd: Pick<Containerd, 'certsDir'>, registry: Pick<Registry, 'host'>): void {
  const hostDir = join(containerd.certsDir, registry.host);
  mkdirSync(hostDir, { recursive: true });
  writeFileSync(join(hostDir, 'hosts.toml'), `server = "http://${registry.host}"

[host."http://${registry.host}"]
  capabilities = ["pull", "resolve"]
  skip_verify = true
`);
}
