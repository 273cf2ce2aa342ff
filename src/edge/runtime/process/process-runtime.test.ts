// Process-runtime specifics beyond the shared conformance suite.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createSilentLogger } from '../../../core/index.js';
import { waitFor } from '../../../testing/runtime-conformance.js';
import type { ContainerConfig, PodSandboxConfig, RuntimeService } from '../types.js';
import { buildContainerRecord } from './container-config.js';
import { createProcessRuntime, writeImageCatalog, type ProcessRuntime } from './index.js';
import { mountSupportProblem, type HostTools } from './launch-plan.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => { for (const c of cleanups.reverse()) await c(); });

async function fresh(opts: { nodeIP?: string } = {}): Promise<{ rt: ProcessRuntime; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'process-rt-'));
  const rt = await createProcessRuntime({ stateDir: dir, log: createSilentLogger(), ...opts });
  cleanups.push(async () => { await rt.stopAll(0); await rt.close(); await rm(dir, { recursive: true, force: true }); });
  return { rt, dir };
}

const sandboxConfig = (dir: string, name = 'pod'): PodSandboxConfig => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, attempt: 0 },
  hostname: '', logDirectory: join(dir, 'logs', name), portMappings: [], labels: {}, annotations: {}, linux: { hostNetwork: false },
});
const containerConfig = (name: string, command: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig => ({
  metadata: { name, attempt: 0 }, image: 'busybox', command, args: [], workingDir: '', envs: [], mounts: [], labels: {}, annotations: {},
  logPath: `${name}/0.log`, stdin: false, stdinOnce: false, tty: false, linux: {}, ...extra,
});
async function startIn(rt: RuntimeService, dir: string, cfg: ContainerConfig) {
  const sc = sandboxConfig(dir);
  const sb = (await rt.listPodSandbox()).find((s) => s.metadata.name === 'pod')?.id ?? (await rt.runPodSandbox(sc));
  const id = await rt.createContainer(sb, cfg, sc);
  await rt.startContainer(id);
  return id;
}
const exited = (rt: RuntimeService, id: string) =>
  waitFor('exit', async () => { const s = await rt.containerStatus(id); return s.state === 'exited' ? s : undefined; });
const codeIs = (code: string) => (err: unknown) => (err as { code?: string }).code === code;

test('says it does not isolate; every sandbox is on the host network with the node IP', async () => {
  const { rt, dir } = await fresh({ nodeIP: '192.0.2.7' });
  assert.equal(rt.kind, 'process');
  assert.equal(rt.isolates, false);
  const v = await rt.runtime.version();
  assert.equal(v.runtimeName, 'process');
  assert.match(v.runtimeVersion, /\(no isolation\)$/);
  const sb = await rt.runtime.runPodSandbox(sandboxConfig(dir));
  const st = await rt.runtime.podSandboxStatus(sb);
  assert.deepEqual([st.hostNetwork, st.network.ip], [true, '192.0.2.7']);
  await assert.rejects(rt.runtime.runPodSandbox(sandboxConfig(dir)), codeIs('AlreadyExists'));
  await assert.rejects(rt.runtime.runPodSandbox(sandboxConfig(dir, 'other'), 'kata'), codeIs('InvalidArgument'));
});

test('nothing to run is InvalidArgument; the catalog supplies entrypoint, cmd, env and workingDir', async () => {
  const { rt, dir } = await fresh();
  const sc = sandboxConfig(dir);
  const sb = await rt.runtime.runPodSandbox(sc);
  await assert.rejects(rt.runtime.createContainer(sb, containerConfig('empty', []), sc), (err: Error & { code?: string }) =>
    err.code === 'InvalidArgument' && /needs a command/.test(err.message));
  await writeImageCatalog(dir, { 'tools:1': { entrypoint: ['sh', '-c'], cmd: ['echo "$GREETING from $(pwd)"'], env: ['GREETING=hi'], workingDir: '/tmp' } });
  const id = await rt.runtime.createContainer(sb, containerConfig('cat', [], { image: 'tools:1' }), sc);
  await rt.runtime.startContainer(id);
  await exited(rt.runtime, id);
  assert.match(await readFile((await rt.runtime.containerStatus(id)).logPath, 'utf8'), / stdout F hi from \/tmp\n$/);
  await assert.rejects(rt.images.pullImage('busybox'), codeIs('NotFound'));
});

test('start errors, start twice, stop and remove of unknown ids', async () => {
  const { rt, dir } = await fresh();
  const bad = containerConfig('missing', ['/nonexistent/binary']);
  const sc = sandboxConfig(dir);
  const sb = await rt.runtime.runPodSandbox(sc);
  const id = await rt.runtime.createContainer(sb, bad, sc);
  await assert.rejects(rt.runtime.startContainer(id), codeIs('Unknown'));
  const s = await rt.runtime.containerStatus(id);
  assert.deepEqual([s.state, s.exitCode, s.reason], ['exited', 128, 'StartError']);
  await assert.rejects(rt.runtime.startContainer(id), codeIs('FailedPrecondition'));
  await rt.runtime.stopContainer('0'.repeat(64), 5);
  await rt.runtime.stopPodSandbox('0'.repeat(64));
  await assert.rejects(rt.runtime.execSync(id, ['true'], 1), codeIs('FailedPrecondition'));
});

test('a process killed by a signal exits 128+signo; the log of a restarted path is appended', async () => {
  const { rt, dir } = await fresh();
  const id = await startIn(rt.runtime, dir, containerConfig('sig', ['sh', '-c', 'echo first; kill -TERM $$; sleep 5']));
  const s = await exited(rt.runtime, id);
  assert.deepEqual([s.exitCode, s.reason], [143, 'Error']);
  await rt.runtime.removeContainer(id);
  const again = await startIn(rt.runtime, dir, containerConfig('sig', ['sh', '-c', 'echo second']));
  await exited(rt.runtime, again);
  const lines = (await readFile((await rt.runtime.containerStatus(again)).logPath, 'utf8')).trim().split('\n');
  assert.deepEqual(lines.map((l) => l.split(' ').slice(1).join(' ')), ['stdout F first', 'stdout F second']);
});

test('exec with a terminal merges output, returns the exit code; stats read /proc', async () => {
  const { rt, dir } = await fresh();
  const id = await startIn(rt.runtime, dir, containerConfig('tty', ['sh', '-c', 'while :; do i=$((i+1)); done']));
  const s = await rt.runtime.exec({ containerId: id, cmd: ['sh', '-c', 'test -t 1 && echo is-a-tty; echo err >&2; exit 4'], tty: true, stdin: false, stdout: true, stderr: true });
  assert.equal(s.stderr, null);
  s.resize(100, 30);
  const chunks: Buffer[] = [];
  s.stdout?.on('data', (b: Buffer) => chunks.push(b));
  assert.equal((await s.done).exitCode, 4);
  const text = Buffer.concat(chunks).toString();
  assert.match(text, /is-a-tty\r?\n/);
  assert.match(text, /err/);
  const stats = await waitFor('cpu time', async () => {
    const st = await rt.runtime.containerStats(id);
    return (st.cpuUsageCoreNanoSeconds ?? 0) > 0 ? st : undefined;
  });
  assert.ok((stats.memoryWorkingSetBytes ?? 0) > 0);
});

test('mounts live in a private namespace; exec sees them; created targets go away with the container', async () => {
  const { rt, dir } = await fresh();
  const target = join(dir, 'not-yet', 'deeper');
  const id = await startIn(rt.runtime, dir, containerConfig('m', ['sleep', '1000'], {
    workingDir: target,
    mounts: [{ hostPath: join(dir, 'logs'), containerPath: target, readonly: true }],
  }));
  const r = await rt.runtime.execSync(id, ['sh', '-c', 'ls; touch x 2>/dev/null || echo ro'], 5);
  assert.equal(r.stdout.toString(), 'pod\nro\n');
  const s = await rt.runtime.exec({ containerId: id, cmd: ['ls', target], tty: false, stdin: false, stdout: true, stderr: false });
  const out: Buffer[] = [];
  s.stdout?.on('data', (b: Buffer) => out.push(b));
  assert.equal((await s.done).exitCode, 0);
  assert.equal(Buffer.concat(out).toString(), 'pod\n');
  assert.ok((await stat(target)).isDirectory(), 'the target exists on the host');
  await rt.runtime.removeContainer(id);
  await assert.rejects(stat(join(dir, 'not-yet')), 'created targets removed');
});

test('without root (or unshare) a container with mounts is FailedPrecondition', () => {
  const tools: HostTools = { sh: '/bin/sh', isRoot: false, clockTicksPerSecond: 100, unshare: '/usr/bin/unshare', mount: '/usr/bin/mount' };
  assert.match(mountSupportProblem(tools) ?? '', /root/);
  assert.match(mountSupportProblem({ ...tools, isRoot: true, unshare: undefined } as HostTools) ?? '', /unshare/);
  const sandbox = { id: 's', metadata: { name: 'p', namespace: 'n', uid: 'u', attempt: 0 }, state: 'ready' as const, createdAt: 0, labels: {}, annotations: {}, logDirectory: '/tmp', requestedHostNetwork: true };
  assert.throws(() => buildContainerRecord({
    id: 'c', sandbox, sandboxConfig: sandboxConfig('/tmp'), ownDir: '/tmp/c', tools, now: 0,
    config: containerConfig('m', ['true'], { mounts: [{ hostPath: '/a', containerPath: '/b', readonly: false }] }),
    image: { ref: 'busybox', id: 'process:x', key: '*', defaults: {}, catalogPath: '/x/images.json' },
  }), (err: Error & { code?: string }) => err.code === 'FailedPrecondition' && /root/.test(err.message));
});
