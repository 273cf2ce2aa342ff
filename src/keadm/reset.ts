// keadm reset: stops the edgecore that join started (pid file) and removes the node's state from the
// data dir: database, certificates, CA, config, pid and log files. Only those names: the data dir
// itself and anything else in it stay, so a mistyped --data-dir cannot wipe unrelated files.
import { rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { formatHelp, parseFlags } from '../core/index.js';
import type { KeadmContext } from './context.js';
import { isAlive, looksLikeEdgecore, readPidFile, stopProcess } from './edgecore-process.js';
import { UsageError } from './errors.js';
import { edgePaths } from './join-config.js';

export const resetFlags = {
  'data-dir': { type: 'string', description: 'the data dir given to keadm join', default: '/var/lib/kubeedge' },
  force: { type: 'boolean', description: 'do not ask for confirmation' },
} as const;

export const resetHelp = (): string =>
  formatHelp(resetFlags, { usage: 'keadm reset [flags]', description: 'Stop edgecore and remove this node\'s state.' });

/** What reset removes, relative to the data dir. */
export function stateEntries(dataDir: string): string[] {
  const p = edgePaths(dataDir);
  const db = p.database;
  return [db, `${db}-wal`, `${db}-shm`, `${db}-journal`, join(dataDir, 'certs'), join(dataDir, 'ca'), p.config, p.pidFile, p.logFile];
}

async function stopEdgecore(pidFile: string, ctx: KeadmContext): Promise<void> {
  const pid = await readPidFile(pidFile);
  if (pid === undefined || !isAlive(pid)) return;
  if (!looksLikeEdgecore(pid)) {
    ctx.stdout(`pid ${pid} in ${pidFile} is not edgecore; leaving it alone\n`);
    return;
  }
  const how = await stopProcess(pid, ctx.stopTimeoutMs);
  if (how === 'killed') ctx.stdout(`edgecore (pid ${pid}) did not stop within ${ctx.stopTimeoutMs / 1000} s; killed it\n`);
  else if (how === 'terminated') ctx.stdout(`stopped edgecore (pid ${pid})\n`);
}

export async function reset(argv: readonly string[], ctx: KeadmContext): Promise<void> {
  const { values, positionals, help } = parseFlags(argv, resetFlags);
  if (help) {
    ctx.stdout(resetHelp());
    return;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const dataDir = resolve(ctx.cwd, values['data-dir'] ?? '/var/lib/kubeedge');
  if (!values.force && ctx.confirm && !(await ctx.confirm(`Stop edgecore and remove its state in ${dataDir}? [y/N] `))) {
    ctx.stdout('nothing done\n');
    return;
  }
  const p = edgePaths(dataDir);
  await stopEdgecore(p.pidFile, ctx);
  let removed = 0;
  for (const path of stateEntries(dataDir)) {
    if (!(await stat(path).then(() => true, () => false))) continue;
    await rm(path, { recursive: true, force: true });
    ctx.stdout(`removed ${path}\n`);
    removed++;
  }
  if (removed === 0) ctx.stdout(`nothing to remove in ${dataDir}\n`);
}
