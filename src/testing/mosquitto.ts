// Debian's mosquitto (/usr/sbin/mosquitto) for tests: a private config in the given directory, bound to
// 127.0.0.1 on a free (or given) port, anonymous or with one user from mosquitto_passwd. stop() and
// kill() end only the process started here (by its pid); restart() brings it back on the same port.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const MOSQUITTO_BIN = '/usr/sbin/mosquitto';
const READY_TIMEOUT_MS = 10_000;

export interface StartMosquittoOptions {
  /** Default: a free port. */
  port?: number;
  /** With a username, anonymous clients are refused. */
  username?: string;
  password?: string;
  /** Where the config and password file go. */
  dir: string;
  /** A TLS listener (mqtts://); with requireCertificate, clients must present a certificate signed by caFile. */
  tls?: { caFile: string; certFile: string; keyFile: string; requireCertificate?: boolean };
  /** More mosquitto.conf lines, e.g. `max_queued_messages 100000` for floods in benchmarks. */
  extraConfig?: readonly string[];
}

export interface Mosquitto {
  port: number;
  /** mqtt://127.0.0.1:<port>, or mqtts:// with tls. */
  url: string;
  readonly pid: number | undefined;
  /** The broker's output so far (for failure messages). */
  output(): string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL and wait for the exit: a broker that vanishes. */
  kill(): Promise<void>;
  /** Stops it if running, then starts it again on the same port and waits until it accepts connections. */
  restart(): Promise<void>;
}

export async function startMosquitto(opts: StartMosquittoOptions): Promise<Mosquitto> {
  const port = opts.port ?? (await freePort());
  const conf = join(opts.dir, `mosquitto-${port}.conf`);
  const lines = [
    `listener ${port} 127.0.0.1`,
    'persistence false',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'log_type notice',
  ];
  if (opts.tls) {
    lines.push(`cafile ${opts.tls.caFile}`, `certfile ${opts.tls.certFile}`, `keyfile ${opts.tls.keyFile}`);
    if (opts.tls.requireCertificate) lines.push('require_certificate true');
  }
  // As root mosquitto drops to user "mosquitto", which may not read a temp dir; stay root in tests.
  if (process.getuid?.() === 0) lines.push('user root');
  if (opts.username !== undefined) {
    const pwfile = join(opts.dir, `mosquitto-${port}.passwd`);
    await promisify(execFile)('mosquitto_passwd', ['-b', '-c', pwfile, opts.username, opts.password ?? '']);
    lines.push('allow_anonymous false', `password_file ${pwfile}`);
  } else {
    lines.push('allow_anonymous true');
  }
  lines.push(...(opts.extraConfig ?? []));
  writeFileSync(conf, lines.join('\n') + '\n', { mode: 0o600 });

  let proc: ChildProcess | undefined;
  let out = '';
  const launch = async (): Promise<void> => {
    const child = spawn(MOSQUITTO_BIN, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc = child;
    // A test that forgets stop() (or fails before it) must not leave the broker behind.
    const reap = (): void => { child.kill('SIGKILL'); };
    process.once('exit', reap);
    child.once('exit', () => process.off('exit', reap));
    const keep = (d: Buffer): void => { out = (out + d.toString()).slice(-16_384); };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    await waitReady(child, port, () => out);
  };
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const child = proc;
    proc = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  };
  await launch();
  return {
    port,
    url: `${opts.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    get pid() { return proc?.pid; },
    output: () => out,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    restart: async () => { await end('SIGTERM'); await launch(); },
  };
}

/** A port the kernel just gave out and freed; another process may race for it, rarely. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once the port accepts TCP connections; rejects when mosquitto exits first or takes too long. */
async function waitReady(child: ChildProcess, port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exit: string | undefined;
  child.once('exit', (code, signal) => { exit = `exited with ${code ?? signal}`; });
  while (Date.now() < deadline) {
    if (exit !== undefined) throw new Error(`mosquitto on port ${port} ${exit}: ${output().trim()}`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 30));
  }
  child.kill('SIGKILL');
  throw new Error(`mosquitto on port ${port} did not accept connections within ${READY_TIMEOUT_MS} ms: ${output().trim()}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ port, host: '127.0.0.1' });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => { s.destroy(); resolve(false); });
  });
}
