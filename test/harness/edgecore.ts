// Starts a real edgecore process (bin/edgecore) joined to a test cloudcore, on free ports in its own temp
// dir, and stops it by PID. The link may go through a fault proxy (cloudhub address override).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CloudcoreProcess } from './cloudcore.js';
import { kubectl, kubectlOk } from './kubectl.js';
import { freePort } from './ports.js';
import { repoRoot } from './repo.js';

export interface EdgecoreProcess {
  nodeName: string;
  dataDir: string;
  metaserverPort: number;
  pid(): number | undefined;
  logs(): string;
  /** Resolves when the process exits (with its exit code, or 128+ for a signal). */
  exited(): Promise<number>;
  stop(): Promise<void>;
  kill(): Promise<void>;
  /** Start again on the same data dir (the token is no longer needed once certificates exist). */
  restart(): Promise<void>;
  dispose(): Promise<void>;
  /** Reads the edge's SQLite (edgecore.db) read-only. */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
}

export interface EdgecoreOptions {
  nodeName: string;
  token: string;
  /** host:port of cloudhub; default: the cloudcore's own port (set a fault proxy here). */
  cloudhub?: string;
  certPort?: number;
  dataDir?: string;
  extraArgs?: string[];
  env?: Record<string, string>;
  /** Default 'process'. */
  runtime?: 'cri' | 'process';
  /** unix:///... of a test containerd (runtime 'cri'). */
  criEndpoint?: string;
  /** Node.js options before the script (e.g. --cpu-prof). */
  nodeArgs?: string[];
}

/** The current join token, read with `keadm gettoken` against the cloudcore's API. */
export async function joinToken(cc: CloudcoreProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [join(repoRoot(), 'bin/keadm'), 'gettoken', '--kubeconfig', cc.kubeconfig], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    proc.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    proc.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`keadm gettoken exited ${code}: ${err}`))));
  });
}

export async function startEdgecore(cc: CloudcoreProcess, options: EdgecoreOptions): Promise<EdgecoreProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `kets-edge-${options.nodeName}-`));
  const metaserverPort = await freePort();
  const runtime = options.runtime ?? 'process';
  const args = [
    ...(options.nodeArgs ?? []), join(repoRoot(), 'bin/edgecore'), '--data-dir', dataDir, '--node-name', options.nodeName,
    '--cloudhub', options.cloudhub ?? `127.0.0.1:${cc.ports.cloudhub}`, '--cert-port', String(options.certPort ?? cc.ports.cert),
    '--tunnel-port', String(cc.ports.tunnel),
    '--token', options.token, '--metaserver-port', String(metaserverPort), '--runtime', runtime,
    ...(options.criEndpoint ? ['--cri-endpoint', options.criEndpoint] : []), ...(options.extraArgs ?? []),
  ];
  let child: ChildProcess | undefined;
  let output = '';
  let exit: Promise<number> = Promise.resolve(0);
  const launch = (): void => {
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    child = proc;
    exit = new Promise((resolve) => proc.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
    proc.stdout?.setEncoding('utf8').on('data', (d: string) => { output += d; });
    proc.stderr?.setEncoding('utf8').on('data', (d: string) => { output += d; });
  };
  const waitExit = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    await exit;
    clearTimeout(timer);
  };
  launch();
  return {
    nodeName: options.nodeName, dataDir, metaserverPort,
    pid: () => child?.pid,
    logs: () => output,
    exited: () => exit,
    stop: () => waitExit('SIGTERM'),
    kill: () => waitExit('SIGKILL'),
    restart: async () => { await waitExit('SIGTERM'); launch(); },
    dispose: async () => { await waitExit('SIGTERM'); if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true }); },
    query: <T>(sql: string, ...params: unknown[]): T[] => {
      const db = new Database(join(dataDir, 'edgecore.db'), { readonly: true, fileMustExist: true });
      try { return db.prepare(sql).all(...params) as T[]; } finally { db.close(); }
    },
  };
}

/** Polls until `check` returns a truthy value or the deadline passes; the error carries `describe()`. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string,
  opts: { timeoutMs?: number; intervalMs?: number; describe?: () => string } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) { last = err; }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}${opts.describe ? `\n${opts.describe()}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
}

/** The node's Ready condition status as kubectl sees it ('True', 'False', 'Unknown' or '' when absent). */
export async function nodeReady(kubeconfig: string, node: string): Promise<string> {
  const r = await kubectl(kubeconfig, ['get', 'node', node, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
  return r.code === 0 ? r.stdout.trim() : '';
}

export async function waitNodeReady(cc: CloudcoreProcess, edge: EdgecoreProcess, timeoutMs = 60_000): Promise<void> {
  await eventually(async () => (await nodeReady(cc.kubeconfig, edge.nodeName)) === 'True', `node ${edge.nodeName} Ready`,
    { timeoutMs, describe: () => `--- edgecore logs ---\n${edge.logs().slice(-4000)}\n--- cloudcore logs ---\n${cc.logs().slice(-4000)}` });
}

export { kubectlOk };
