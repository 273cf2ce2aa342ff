import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createSilentLogger, formatJoinToken, parseJoinToken, signJWT } from '../core/index.js';
import { createCA, pemToDer } from '../core/pki/index.js';
import { CertService, CERTS_NAMESPACE, readJoinToken } from '../cloud/certs/index.js';
import { Resources } from '../cloud/kube/index.js';
import { FakeKubeClient } from '../testing/fake-kube-client.js';
import { runKeadm } from './cli.js';
import type { KeadmContext } from './context.js';
import { isAlive, readPidFile } from './edgecore-process.js';

interface Run { code: number; out: string; err: string }

function makeCtx(over: Partial<KeadmContext> = {}): { ctx: KeadmContext; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: KeadmContext = {
    stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, cwd: '/nonexistent',
    kubeClient: () => { throw new Error('no kube in this test'); },
    edgecoreBin: '/nonexistent/edgecore', now: Date.now, startupGraceMs: 200, stopTimeoutMs: 2000,
    ...over,
  };
  return { ctx, out, err };
}

async function run(argv: string[], over: Partial<KeadmContext> = {}): Promise<Run> {
  const { ctx, out, err } = makeCtx(over);
  const code = await runKeadm(argv, ctx);
  return { code, out: out.join(''), err: err.join('') };
}

describe('keadm command line', () => {
  test('usage errors exit 2 with a message naming the problem', async () => {
    const cases: [string[], RegExp][] = [
      [[], /Usage: keadm <command>/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['join', '--token', 'x', '--edgenode-name', 'n'], /--cloudcore-ipport is required/],
      [['join', '--cloudcore-ipport', '1.2.3.4', '--token', 'x', '--edgenode-name', 'n'], /HOST:PORT/],
      [['join', '--cloudcore-ipport', '1.2.3.4:10000', '--token', 'x', '--edgenode-name', 'Bad_Name'], /not a valid node name/],
      [['join', '--cloudcore-ipport', '1.2.3.4:10000', '--token', 'x', '--edgenode-name', 'n', '--runtime', 'docker'], /cri or process/],
      [['join', '--certport', 'abc'], /needs a number/],
      [['join', '--bogus'], /unknown flag --bogus/],
      [['gettoken', '--ttl', '1h'], /only with --once/],
      [['gettoken', '--once', '--ttl', 'soon'], /duration like/],
      [['reset', 'extra'], /unexpected argument/],
    ];
    for (const [argv, re] of cases) {
      const r = await run(argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
      assert.match(r.err, re, argv.join(' '));
      assert.equal(r.out, '');
    }
  });

  test('--help prints flags and exits 0', async () => {
    for (const cmd of ['join', 'gettoken', 'reset']) {
      const r = await run([cmd, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.out, /Flags:/);
    }
  });

  test('a malformed token fails (exit 1) before anything is written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kets-keadm-'));
    try {
      const r = await run(['join', '--cloudcore-ipport', '127.0.0.1:10000', '--token', 'abc.def', '--edgenode-name', 'n1', '--data-dir', dir]);
      assert.equal(r.code, 1);
      assert.match(r.err, /token is malformed/);
      await assert.rejects(stat(join(dir, 'edgecore.yaml')));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('keadm gettoken', () => {
  const kube = new FakeKubeClient();
  let dir: string;
  let kubeconfig: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kets-keadm-'));
    kubeconfig = join(dir, 'admin.kubeconfig');
    await writeFile(kubeconfig, 'apiVersion: v1\nkind: Config\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('without cloudcore state it says so; no kubeconfig anywhere is a failure listing where it looked', async () => {
    const missing = await run(['gettoken'], { cwd: dir, env: {} });
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no kubeconfig found \(tried .*\.kubeedge\/admin\.kubeconfig/);
    const r = await run(['gettoken', '--kubeconfig', kubeconfig], { kubeClient: () => kube });
    assert.equal(r.code, 1);
    assert.match(r.err, /no token in secret kubeedge\/tokensecret/);
  });

  test('prints the current token (only the token on stdout), found through $KUBECONFIG', async () => {
    const svc = new CertService({ kube, log: createSilentLogger(), advertiseAddresses: [], listen: { address: '127.0.0.1', port: 0 } });
    const token = await svc.rotateToken();
    let used = '';
    const r = await run(['gettoken'], { env: { KUBECONFIG: kubeconfig }, kubeClient: (p) => { used = p; return kube; } });
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, `${token}\n`);
    assert.equal(used, kubeconfig);
    assert.equal(await readJoinToken(kube), token);
  });

  test('--once signs a one-time token with the CA from casecret and records it', async () => {
    const r = await run(['gettoken', '--once', '--ttl', '30m', '--kubeconfig', kubeconfig], { kubeClient: () => kube });
    assert.equal(r.code, 0, r.err);
    const token = r.out.trim();
    const { jwt } = parseJoinToken(token);
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as { exp: number; jti: string };
    assert.ok(Math.abs(claims.exp * 1000 - (Date.now() + 30 * 60_000)) < 5000);
    assert.ok(await kube.get(Resources.secrets, CERTS_NAMESPACE, `onetime-token-${claims.jti}`));
    assert.match(r.err, /delete secret onetime-token-/);
  });
});

describe('keadm join and reset against a real certificate service', () => {
  const kube = new FakeKubeClient();
  let clock = Date.now();
  const svc = new CertService({ kube, log: createSilentLogger(), now: () => clock, advertiseAddresses: [], listen: { address: '127.0.0.1', port: 0 } });
  let dir: string;
  let fakeEdgecore: string;
  let port = 0;
  const pids: number[] = [];

  before(async () => {
    await svc.start();
    port = svc.address()?.port ?? 0;
    dir = await mkdtemp(join(tmpdir(), 'kets-keadm-'));
    fakeEdgecore = join(dir, 'edgecore');
    await writeFile(fakeEdgecore, "process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000); console.log('fake edgecore', process.argv.slice(2).join(' '));\n");
  });
  after(async () => {
    for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    await svc.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const joinArgs = (dataDir: string, token: string, node = 'edge-k'): string[] => [
    'join', '--cloudcore-ipport', '127.0.0.1:10000', '--certport', String(port), '--token', token, '--edgenode-name', node,
    '--data-dir', dataDir, '--runtime', 'process',
  ];

  test('join writes edgecore.yaml, gets the certificate, starts edgecore; reset stops it and removes the state', async () => {
    const d = join(dir, 'node');
    const r = await run(joinArgs(d, svc.currentToken() ?? ''), { edgecoreBin: fakeEdgecore });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\[1\/4\] writing config/);
    assert.match(r.out, /\[3\/4\] certificate issued for system:node:edge-k/);
    assert.match(r.out, /\[4\/4\] starting edgecore \(pid \d+\)/);
    const cfg = parse(await readFile(join(d, 'edgecore.yaml'), 'utf8')) as Record<string, any>;
    assert.equal(cfg['kind'], 'EdgeCore');
    assert.equal(cfg['modules'].edgeHub.websocket.server, '127.0.0.1:10000');
    assert.equal(cfg['modules'].edgeHub.httpServer, `https://127.0.0.1:${port}`);
    assert.equal(cfg['modules'].edgeHub.tlsCertFile, join(d, 'certs/server.crt'));
    assert.equal(cfg['modules'].edged.tailoredKubeletFlag.hostnameOverride, 'edge-k');
    assert.equal(cfg['modules'].edged.runtime, 'process');
    assert.equal((await stat(join(d, 'edgecore.yaml'))).mode & 0o777, 0o600);
    const pid = await readPidFile(join(d, 'edgecore.pid'));
    assert.ok(pid !== undefined && isAlive(pid));
    pids.push(pid);

    const again = await run(joinArgs(d, svc.currentToken() ?? ''), { edgecoreBin: fakeEdgecore });
    assert.equal(again.code, 1);
    assert.match(again.err, /already running/);

    const reset = await run(['reset', '--data-dir', d, '--force']);
    assert.equal(reset.code, 0, reset.err);
    assert.match(reset.out, new RegExp(`stopped edgecore \\(pid ${pid}\\)`));
    assert.match(reset.out, /removed .*certs/);
    assert.match(reset.out, /removed .*edgecore\.yaml/);
    assert.ok(!isAlive(pid));
    await assert.rejects(stat(join(d, 'certs')));
    const twice = await run(['reset', '--data-dir', d, '--force']);
    assert.match(twice.out, /nothing to remove/);
  });

  test('wrong CA hash, expired token and unreachable cloud fail with exit 1 and a readable reason', async () => {
    const good = svc.currentToken() ?? '';
    const other = await createCA('other-cloud');
    const wrongHash = formatJoinToken(pemToDer(other.certPem), parseJoinToken(good).jwt);
    const r1 = await run(joinArgs(join(dir, 'n1'), wrongHash), { edgecoreBin: fakeEdgecore });
    assert.equal(r1.code, 1);
    assert.match(r1.err, /token expects [0-9a-f]{64}/);
    assert.match(r1.err, /hint: check that the token comes from this cloudcore/);

    clock += 25 * 3600_000;
    try {
      const r2 = await run(joinArgs(join(dir, 'n2'), good), { edgecoreBin: fakeEdgecore });
      assert.equal(r2.code, 1);
      assert.match(r2.err, /rejected the token: token expired/);
    } finally {
      clock -= 25 * 3600_000;
    }

    const fake = formatJoinToken(new Uint8Array([1]), signJWT({ exp: 2e9 }, new Uint8Array([2])));
    const args = joinArgs(join(dir, 'n3'), fake);
    args[args.indexOf('--certport') + 1] = '1';
    const r3 = await run(args, { edgecoreBin: fakeEdgecore });
    assert.equal(r3.code, 1);
    assert.match(r3.err, /cannot reach the certificate service at 127\.0\.0\.1:1: ECONNREFUSED/);
  });

  test('a one-time token joins one node, the second join with it is refused', async () => {
    const once = await svc.issueOneTimeToken(3600_000);
    const ok = await run([...joinArgs(join(dir, 'o1'), once.token, 'edge-o1')], { edgecoreBin: fakeEdgecore });
    assert.equal(ok.code, 0, ok.err);
    const pid = await readPidFile(join(dir, 'o1', 'edgecore.pid'));
    if (pid) pids.push(pid);
    const spent = await run([...joinArgs(join(dir, 'o2'), once.token, 'edge-o2')], { edgecoreBin: fakeEdgecore });
    assert.equal(spent.code, 1);
    assert.match(spent.err, /one-time token already used or revoked/);
  });
});
