// /version and the health endpoints (/healthz, /livez, /readyz), readable without credentials as in
// kube-apiserver. /usr/bin/kubectl picks its own minor version from our /version, so we report 1.31.
import type { ServerContext, RequestScope } from './context.js';
import { sendJson, sendText } from './respond.js';

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };

export function defaultVersion(): VersionInfo {
  return {
    major: '1',
    minor: '31',
    // Build metadata (like k3s' "+k3s1") keeps this a plain 1.31.0 for semver comparisons.
    gitVersion: 'v1.31.0+kubeedge-ts',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    // Clients only display this; it names the runtime that actually serves the API.
    goVersion: `node${process.versions.node}`,
    compiler: 'gc',
    platform: `${process.platform}/${goArch[process.arch] ?? process.arch}`,
  };
}

export function serveVersion(ctx: ServerContext, scope: RequestScope): void {
  sendJson(scope.res, 200, ctx.version, { pretty: scope.pretty });
}

type Probe = 'healthz' | 'livez' | 'readyz';

interface Check { name: string; ok: (ctx: ServerContext) => boolean }

const checks: Record<Probe, Check[]> = {
  healthz: [{ name: 'ping', ok: () => true }, { name: 'log', ok: () => true }],
  livez: [{ name: 'ping', ok: () => true }, { name: 'log', ok: () => true }],
  readyz: [{ name: 'ping', ok: () => true }, { name: 'log', ok: () => true }, { name: 'shutdown', ok: (ctx) => ctx.isReady() }],
};

export function isProbePath(pathname: string): boolean {
  return /^\/(healthz|livez|readyz)(\/[a-z-]+)?\/?$/.test(pathname);
}

/** `/readyz`, `/readyz?verbose`, `/readyz/<check>`. */
export function serveProbe(ctx: ServerContext, scope: RequestScope): void {
  const [, probeName, checkName] = scope.url.pathname.replace(/\/$/, '').split('/') as [string, Probe, string | undefined];
  const all = checks[probeName];
  const selected = checkName ? all.filter((c) => c.name === checkName) : all;
  if (selected.length === 0) {
    sendText(scope.res, 404, '404 page not found\n');
    return;
  }
  const results = selected.map((c) => ({ name: c.name, ok: c.ok(ctx) }));
  const healthy = results.every((r) => r.ok);
  if (!scope.query.has('verbose')) {
    sendText(scope.res, healthy ? 200 : 500, healthy ? 'ok' : `${results.filter((r) => !r.ok).map((r) => `[-]${r.name} failed: reason withheld`).join('\n')}\n${probeName} check failed\n`);
    return;
  }
  const lines = results.map((r) => (r.ok ? `[+]${r.name} ok` : `[-]${r.name} failed: reason withheld`));
  sendText(scope.res, healthy ? 200 : 500, `${lines.join('\n')}\n${probeName} check ${healthy ? 'passed' : 'failed'}\n`);
}
