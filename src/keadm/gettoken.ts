// keadm gettoken (KubeEdge keadm/cmd/keadm/app/cmd/cloud/gettoken.go): prints the join token that
// cloudcore keeps in kubeedge/tokensecret. Beyond KubeEdge: --once mints a one-time token, signed here
// with the CA key read from kubeedge/casecret, and records it as Secret kubeedge/onetime-token-<id>.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatHelp, parseFlags } from '../core/index.js';
import { CERTS_NAMESPACE, SecretNames, issueOneTimeToken, readCA, readJoinToken } from '../cloud/certs/index.js';
import type { KubeClient } from '../cloud/kube/index.js';
import type { KeadmContext } from './context.js';
import { parseDuration } from './duration.js';
import { KeadmError, UsageError } from './errors.js';

export const gettokenFlags = {
  kubeconfig: { type: 'string', description: 'kubeconfig of the cluster cloudcore uses (default: $KUBECONFIG, ./.kubeedge/admin.kubeconfig, /var/lib/kubeedge/admin.kubeconfig)' },
  once: { type: 'boolean', description: 'issue a one-time token instead (valid for one join; revoke by deleting its Secret)' },
  ttl: { type: 'string', description: 'lifetime of a --once token', default: '1h' },
} as const;

export const gettokenHelp = (): string =>
  formatHelp(gettokenFlags, { usage: 'keadm gettoken [flags]', description: 'Print the token edge nodes use to join (stdout carries only the token).' });

/** Where gettoken looks for a kubeconfig, in order; the first that exists wins. */
export function kubeconfigCandidates(ctx: Pick<KeadmContext, 'env' | 'cwd'>): string[] {
  const fromEnv = (ctx.env['KUBECONFIG'] ?? '').split(':').filter((p) => p !== '');
  return [...fromEnv, resolve(ctx.cwd, '.kubeedge/admin.kubeconfig'), '/var/lib/kubeedge/admin.kubeconfig'];
}

export function resolveKubeconfig(flag: string | undefined, ctx: Pick<KeadmContext, 'env' | 'cwd'>): string {
  if (flag !== undefined) {
    const path = resolve(ctx.cwd, flag);
    if (!existsSync(path)) throw new KeadmError(`kubeconfig ${path} does not exist`);
    return path;
  }
  const tried = kubeconfigCandidates(ctx);
  const found = tried.find((p) => existsSync(p));
  if (!found) throw new KeadmError(`no kubeconfig found (tried ${tried.join(', ')}); pass --kubeconfig FILE`);
  return found;
}

function apiFailure(err: unknown, kubeconfig: string): KeadmError {
  const msg = err instanceof Error ? err.message : String(err);
  return new KeadmError(`cannot read from the Kubernetes API (kubeconfig ${kubeconfig}): ${msg}`, { cause: err });
}

async function printCurrent(kube: KubeClient, kubeconfig: string, ctx: KeadmContext): Promise<void> {
  const token = await readJoinToken(kube).catch((err: unknown) => { throw apiFailure(err, kubeconfig); });
  if (token === undefined) {
    throw new KeadmError(`no token in secret ${CERTS_NAMESPACE}/${SecretNames.token}: is cloudcore running against this cluster?`);
  }
  ctx.stdout(`${token}\n`);
}

async function printOnce(kube: KubeClient, kubeconfig: string, ttlMs: number, ctx: KeadmContext): Promise<void> {
  const ca = await readCA(kube).catch((err: unknown) => { throw apiFailure(err, kubeconfig); });
  if (!ca) throw new KeadmError(`no CA in secret ${CERTS_NAMESPACE}/${SecretNames.ca}: is cloudcore running against this cluster?`);
  const issued = await issueOneTimeToken(kube, ca, { ttlMs, nowMs: ctx.now() }).catch((err: unknown) => { throw apiFailure(err, kubeconfig); });
  ctx.stdout(`${issued.token}\n`);
  ctx.stderr(`one-time token valid until ${issued.expiresAt.toISOString()}; revoke it with: kubectl -n ${CERTS_NAMESPACE} delete secret ${issued.secretName}\n`);
}

export async function gettoken(argv: readonly string[], ctx: KeadmContext): Promise<void> {
  const { values, positionals, help } = parseFlags(argv, gettokenFlags);
  if (help) {
    ctx.stdout(gettokenHelp());
    return;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.ttl !== undefined && !values.once) throw new UsageError('--ttl applies only with --once');
  const ttlMs = parseDuration(values.ttl ?? '1h', 'ttl');
  const kubeconfig = resolveKubeconfig(values.kubeconfig, ctx);
  const kube = ctx.kubeClient(kubeconfig);
  if (values.once) await printOnce(kube, kubeconfig, ttlMs, ctx);
  else await printCurrent(kube, kubeconfig, ctx);
}
