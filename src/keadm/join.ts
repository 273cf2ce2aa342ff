// keadm join: writes <data-dir>/edgecore.yaml, gets the node certificate with the token (so a wrong
// CA hash, a refused token or an unreachable cloud is reported here, readably), then starts edgecore.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSilentLogger, formatHelp, parseFlags, parseJoinToken, TokenError } from '../core/index.js';
import { bootstrapCertificates, CertificateError } from '../edge/edgehub/index.js';
import type { KeadmContext } from './context.js';
import { KeadmError, UsageError } from './errors.js';
import { isAlive, runForeground, runningEdgecore, startDetached } from './edgecore-process.js';
import {
  certServerUrl, checkNodeName, edgeCoreYaml, edgePaths, parseIpPort, type JoinSettings,
} from './join-config.js';

export const joinFlags = {
  'cloudcore-ipport': { type: 'string', description: 'cloudhub address HOST:PORT (required)' },
  token: { type: 'string', description: 'join token from `keadm gettoken` (required)' },
  'edgenode-name': { type: 'string', description: 'name of this node in Kubernetes (required)' },
  certport: { type: 'number', description: 'certificate service port on the cloudcore host', default: 10002 },
  'data-dir': { type: 'string', description: 'where edgecore keeps its config, database and certificates', default: '/var/lib/kubeedge' },
  runtime: { type: 'string', description: 'container runtime: cri (containerd) or process' },
  'remote-runtime-endpoint': { type: 'string', description: 'CRI endpoint, e.g. unix:///run/containerd/containerd.sock' },
  foreground: { type: 'boolean', description: 'run edgecore attached to this terminal instead of in the background' },
} as const;

export const joinHelp = (): string =>
  formatHelp(joinFlags, { usage: 'keadm join --cloudcore-ipport HOST:PORT --token TOKEN --edgenode-name NAME [flags]', description: 'Join this machine to a cloudcore as an edge node.' });

type JoinValues = ReturnType<typeof parseFlags<typeof joinFlags>>['values'];

function settings(v: JoinValues, cwd: string): JoinSettings {
  for (const name of ['cloudcore-ipport', 'token', 'edgenode-name'] as const) {
    if (!v[name]) throw new UsageError(`--${name} is required`);
  }
  const { host, port } = parseIpPort(v['cloudcore-ipport'] as string);
  const certPort = v.certport ?? 10002;
  if (!Number.isInteger(certPort) || certPort < 1 || certPort > 65535) throw new UsageError(`--certport must be a port number, not ${certPort}`);
  const runtime = v.runtime;
  if (runtime !== undefined && runtime !== 'cri' && runtime !== 'process') throw new UsageError(`--runtime takes cri or process, not "${runtime}"`);
  const s: JoinSettings = {
    host, port, certPort, token: (v.token as string).trim(), nodeName: checkNodeName(v['edgenode-name'] as string),
    dataDir: resolve(cwd, v['data-dir'] ?? '/var/lib/kubeedge'),
  };
  if (runtime) s.runtime = runtime;
  if (v['remote-runtime-endpoint']) s.remoteRuntimeEndpoint = v['remote-runtime-endpoint'];
  return s;
}

function checkToken(token: string): void {
  try {
    parseJoinToken(token);
  } catch (err) {
    if (err instanceof TokenError) throw new KeadmError(`the token is malformed: ${err.message}; get one with \`keadm gettoken\` on the cloud side`);
    throw err;
  }
}

/** One readable sentence per certificate failure; the code picks the advice. */
function certFailure(err: CertificateError): KeadmError {
  const advice: Partial<Record<CertificateError['code'], string>> = {
    ca_hash_mismatch: 'check that the token comes from this cloudcore (`keadm gettoken` on its cluster)',
    token_rejected: 'get a fresh token with `keadm gettoken`',
    unreachable: 'check --cloudcore-ipport / --certport and that cloudcore is running and reachable',
    tls_failed: 'the address must be one of cloudcore\'s advertise addresses',
  };
  const hint = advice[err.code];
  return new KeadmError(`${err.message}${hint ? `\n  hint: ${hint}` : ''}`, { cause: err });
}

async function tailOf(file: string, lines: number): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export async function join(argv: readonly string[], ctx: KeadmContext): Promise<number> {
  const { values, positionals, help } = parseFlags(argv, joinFlags);
  if (help) {
    ctx.stdout(joinHelp());
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const s = settings(values, ctx.cwd);
  checkToken(s.token);
  const p = edgePaths(s.dataDir);
  const running = await runningEdgecore(p.pidFile);
  if (running !== undefined) throw new KeadmError(`edgecore is already running here (pid ${running}); run \`keadm reset --data-dir ${s.dataDir}\` first`);

  ctx.stdout(`[1/4] writing config ${p.config}\n`);
  await mkdir(s.dataDir, { recursive: true, mode: 0o755 });
  await writeFile(p.config, edgeCoreYaml(s), { mode: 0o600 });

  ctx.stdout(`[2/4] getting the CA from ${certServerUrl(s)} and checking it against the token\n`);
  let result;
  try {
    result = await bootstrapCertificates({
      httpServer: certServerUrl(s), token: s.token, nodeName: s.nodeName, caFile: p.caFile, certFile: p.certFile, keyFile: p.keyFile,
      now: ctx.now, log: createSilentLogger(),
    });
  } catch (err) {
    if (err instanceof CertificateError) throw certFailure(err);
    throw err;
  }
  const how = result.status === 'existing' ? 'kept the existing certificate' : 'certificate issued';
  ctx.stdout(`[3/4] ${how} for system:node:${s.nodeName}, valid until ${result.notAfter.toISOString()}\n`);
  return start(s, ctx, values.foreground === true);
}

async function start(s: JoinSettings, ctx: KeadmContext, foreground: boolean): Promise<number> {
  const p = edgePaths(s.dataDir);
  if (foreground) {
    ctx.stdout(`[4/4] running edgecore in the foreground (Ctrl-C stops it)\n`);
    return runForeground({ bin: ctx.edgecoreBin, config: p.config });
  }
  const pid = await startDetached({ bin: ctx.edgecoreBin, config: p.config, logFile: p.logFile, pidFile: p.pidFile });
  ctx.stdout(`[4/4] starting edgecore (pid ${pid})\n`);
  await sleep(ctx.startupGraceMs);
  if (!isAlive(pid)) {
    throw new KeadmError(`edgecore exited right after starting; last lines of ${p.logFile}:\n${await tailOf(p.logFile, 15)}`);
  }
  ctx.stdout(
    `edgecore is running as node ${s.nodeName}.\n` +
    `  logs:  tail -f ${p.logFile}\n` +
    `  stop:  keadm reset --data-dir ${s.dataDir}   (or kill $(cat ${p.pidFile}))\n`,
  );
  return 0;
}
