// Starts a real cloudcore process (bin/cloudcore) with the embedded control plane on free ports in its
// own temp dir, and stops it by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { freePort } from './ports.js';
import { repoRoot } from './repo.js';

export interface CloudcoreProcess {
  dataDir: string;
  kubeconfig: string;
  port: number;
  url: string;
  /** The link's ports: cloudhub (WSS), certs (HTTPS), stream, tunnel, metrics. */
  ports: { cloudhub: number; cert: number; stream: number; tunnel: number; metrics: number };
  pid(): number | undefined;
  logs(): string;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** SIGKILL and wait. */
  kill(): Promise<void>;
  /** Start again on the same data dir and port. */
  restart(): Promise<void>;
  /** Stop and remove the data dir. */
  dispose(): Promise<void>;
}

export interface StartOptions {
  dataDir?: string;
  extraArgs?: string[];
  env?: Record<string, string>;
  /** false: do not wait for the link ports (a cloudcore with modules.cloudHub.enable: false). */
  waitForLink?: boolean;
  /** Node.js options before the script (e.g. --cpu-prof for a profile). */
  nodeArgs?: string[];
  /** Run against this cloudcore's API with --kubeconfig (as against a real cluster) instead of embedding one. */
  apiOf?: CloudcoreProcess;
}

export async function startCloudcore(options: StartOptions = {}): Promise<CloudcoreProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kets-cloud-'));
  const port = await freePort();
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
  const args = [
    ...(options.nodeArgs ?? []), join(repoRoot(), 'bin/cloudcore'), '--data-dir', dataDir, '--apiserver-port', String(port),
    '--cloudhub-port', String(ports[0]), '--cert-port', String(ports[1]), '--stream-port', String(ports[2]),
    '--tunnel-port', String(ports[3]), '--metrics-port', String(ports[4]), ...(options.extraArgs ?? []),
    ...(options.apiOf ? ['--kubeconfig', options.apiOf.kubeconfig] : []),
  ];
  let child: ChildProcess | undefined;
  // cloudcore writes its log to a file, not a pipe: a busy test or benchmark process that reads a pipe
  // late would fill it, and pino's synchronous writes would then stall cloudcore's event loop.
  const logFile = join(mkdtempSync(join(tmpdir(), 'kets-cloud-log-')), 'cloudcore.log');
  const output = (): string => { try { return readFileSync(logFile, 'utf8'); } catch { return ''; } };
  const kubeconfig = options.apiOf?.kubeconfig ?? join(dataDir, 'admin.kubeconfig');
  const url = options.apiOf?.url ?? `https://127.0.0.1:${port}`;

  const launch = async (): Promise<void> => {
    const fd = openSync(logFile, 'a');
    const proc = spawn(process.execPath, args, { stdio: ['ignore', fd, fd], env: { ...process.env, ...options.env } });
    closeSync(fd);
    child = proc;
    await waitReady(proc, kubeconfig, url, output);
    // The link (certs and cloudhub) starts after the API is up; wait until both ports accept.
    if (options.waitForLink !== false) await waitListening(proc, [ports[1] as number, ports[0] as number], output);
  };
  const waitExit = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };

  await launch();
  return {
    dataDir, kubeconfig, port, url,
    ports: { cloudhub: ports[0] as number, cert: ports[1] as number, stream: ports[2] as number, tunnel: ports[3] as number, metrics: ports[4] as number },
    pid: () => child?.pid,
    logs: output,
    stop: () => waitExit('SIGTERM'),
    kill: () => waitExit('SIGKILL'),
    restart: async () => { await waitExit('SIGTERM'); await launch(); },
    dispose: async () => {
      await waitExit('SIGTERM');
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      rmSync(dirname(logFile), { recursive: true, force: true });
    },
  };
}

async function waitReady(proc: ChildProcess, kubeconfig: string, url: string, logs: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`cloudcore exited (${proc.exitCode ?? proc.signalCode}) before it was ready:\n${logs()}`);
    }
    if (existsSync(kubeconfig) && (await readyz(kubeconfig, url))) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  proc.kill('SIGKILL');
  throw new Error(`cloudcore was not ready within 60 s:\n${logs()}`);
}

async function waitListening(proc: ChildProcess, portsToCheck: number[], logs: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (const port of portsToCheck) {
    while (!(await accepts(port))) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`cloudcore exited before port ${port} listened:\n${logs()}`);
      if (Date.now() > deadline) throw new Error(`cloudcore port ${port} did not listen within 60 s:\n${logs()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

/** GET /readyz with the kubeconfig's credentials; true on 200. */
export function readyz(kubeconfig: string, url: string): Promise<boolean> {
  const creds = kubeconfigCredentials(kubeconfig);
  return new Promise((resolve) => {
    const req = request(`${url}/readyz`, { ...creds, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
    req.end();
  });
}

/** TLS options for node:https from an admin kubeconfig (client cert or bearer token). */
export function kubeconfigCredentials(kubeconfig: string): { ca: string; cert?: string; key?: string; headers?: Record<string, string> } {
  const doc = parse(readFileSync(kubeconfig, 'utf8')) as {
    clusters: { cluster: { 'certificate-authority-data': string } }[];
    users: { user: { 'client-certificate-data'?: string; 'client-key-data'?: string; token?: string } }[];
  };
  const b64 = (s: string | undefined): string | undefined => (s ? Buffer.from(s, 'base64').toString('utf8') : undefined);
  const cluster = doc.clusters[0]?.cluster;
  const user = doc.users[0]?.user;
  if (!cluster || !user) throw new Error(`kubeconfig ${kubeconfig} has no cluster or user`);
  const cert = b64(user['client-certificate-data']);
  const key = b64(user['client-key-data']);
  return {
    ca: b64(cluster['certificate-authority-data']) ?? '',
    ...(cert && key ? { cert, key } : {}),
    ...(user.token ? { headers: { authorization: `Bearer ${user.token}` } } : {}),
  };
}
