// One conformance suite for every ContainerRuntime (cri against containerd, process): what edged relies
// on, checked with busybox-style `sh -c` commands only (echo, sleep, cat, exit, trap), host-network
// sandboxes with an empty hostname, and nothing else assumed about the host or the image. Nothing is
// skipped: a runtime that cannot do something (mounts, say) fails that test.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { ContainerConfig, ContainerRuntime, ContainerStatus, PodSandboxConfig, RuntimeService } from '../edge/runtime/index.js';

export interface ConformanceSetup { runtime: ContainerRuntime; image: string; cleanup(): Promise<void> }

export interface LogLine { time: string; stream: string; tag: string; text: string }

const CRI_LINE = /^(\S+) (stdout|stderr) (F|P) (.*)$/;

/** Parses a CRI-format log file; a line that does not parse fails the test. */
export function parseCriLog(text: string): LogLine[] {
  return text.split('\n').filter((l) => l !== '').map((l) => {
    const m = CRI_LINE.exec(l);
    assert.ok(m, `not a CRI log line: ${JSON.stringify(l)}`);
    const [, time = '', stream = '', tag = '', body = ''] = m;
    assert.ok(!Number.isNaN(Date.parse(time)), `bad timestamp ${time}`);
    return { time, stream, tag, text: body };
  });
}

/** Polls until `check` returns a value (not undefined); the deadline only stops a hung test. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, deadlineMs = 30_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function readAll(stream: Readable | null): Promise<string> {
  if (stream === null) return Promise.resolve('');
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    stream.on('data', (b: Buffer) => parts.push(b));
    stream.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    stream.on('error', reject);
  });
}

const hasCode = (code: string) => (err: unknown) => (err as { code?: unknown }).code === code;

export function runtimeConformance(name: string, setup: () => Promise<ConformanceSetup>): void {
  describe(`runtime conformance: ${name}`, () => {
    let env: ConformanceSetup;
    let rt: RuntimeService;
    let work: string;
    let imageRef: string;
    const run = randomBytes(4).toString('hex');
    const sandboxes: string[] = [];
    let shared: { id: string; config: PodSandboxConfig };

    const sandboxConfig = (podName: string): PodSandboxConfig => ({
      metadata: { name: podName, namespace: 'conformance', uid: `${run}-${podName}`, attempt: 0 },
      hostname: '',
      logDirectory: join(work, 'pods', podName),
      portMappings: [],
      labels: { 'conformance.kubeedge-ts/run': run, 'conformance.kubeedge-ts/pod': podName },
      annotations: { 'conformance.kubeedge-ts/note': 'sandbox annotation' },
      linux: { hostNetwork: true },
    });
    const newSandbox = async (podName: string) => {
      const config = sandboxConfig(podName);
      const id = await rt.runPodSandbox(config);
      sandboxes.push(id);
      return { id, config };
    };
    const containerConfig = (cname: string, script: string, extra: Partial<ContainerConfig> = {}): ContainerConfig => ({
      metadata: { name: cname, attempt: 0 },
      image: imageRef,
      command: ['sh', '-c', script],
      args: [],
      workingDir: '',
      envs: [],
      mounts: [],
      labels: { 'conformance.kubeedge-ts/container': cname },
      annotations: {},
      logPath: `${cname}/0.log`,
      stdin: false,
      stdinOnce: false,
      tty: false,
      linux: {},
      ...extra,
    });
    const start = async (cname: string, script: string, extra: Partial<ContainerConfig> = {}) => {
      const id = await rt.createContainer(shared.id, containerConfig(cname, script, extra), shared.config);
      await rt.startContainer(id);
      return id;
    };
    const exited = (id: string) =>
      waitFor<ContainerStatus>(`container ${id} to exit`, async () => {
        const s = await rt.containerStatus(id);
        return s.state === 'exited' ? s : undefined;
      });
    const logOf = async (id: string) => parseCriLog(await readFile((await rt.containerStatus(id)).logPath, 'utf8').catch(() => ''));
    const logSays = (id: string, text: string) =>
      waitFor(`"${text}" in the log of ${id}`, async () => ((await logOf(id)).some((l) => l.text === text) ? true : undefined));
    const stdoutOf = async (id: string) => (await logOf(id)).filter((l) => l.stream === 'stdout').map((l) => l.text);

    before(async () => {
      env = await setup();
      rt = env.runtime.runtime;
      work = await mkdtemp(join(tmpdir(), 'runtime-conformance-'));
      const have = await env.runtime.images.imageStatus(env.image);
      imageRef = have?.id ?? (await env.runtime.images.pullImage(env.image));
      shared = await newSandbox('shared');
    });

    after(async () => {
      for (const id of sandboxes) {
        await rt.stopPodSandbox(id).catch(() => undefined);
        await rt.removePodSandbox(id).catch(() => undefined);
      }
      await env?.cleanup();
      if (work) await rm(work, { recursive: true, force: true });
    });

    test('version and status', async () => {
      const v = await rt.version();
      assert.ok(v.runtimeName.length > 0);
      assert.ok(v.runtimeVersion.length > 0);
      const conds = await rt.status();
      assert.equal(conds.find((c) => c.type === 'RuntimeReady')?.status, true);
    });

    test('the image is present after the pull and listed', async () => {
      const img = await env.runtime.images.imageStatus(env.image);
      assert.ok(img, 'imageStatus after pull');
      assert.ok((await env.runtime.images.listImages()).some((i) => i.id === img.id));
    });

    test('sandbox run, list, status, stop and remove (stop and remove are idempotent)', async () => {
      const { id, config } = await newSandbox('lifecycle');
      const listed = await rt.listPodSandbox({ id });
      assert.deepEqual(listed.map((s) => [s.id, s.state]), [[id, 'ready']]);
      const st = await rt.podSandboxStatus(id);
      assert.deepEqual(st.metadata, config.metadata);
      assert.equal(st.labels['conformance.kubeedge-ts/pod'], 'lifecycle');
      assert.equal(st.annotations['conformance.kubeedge-ts/note'], 'sandbox annotation');
      assert.equal(st.hostNetwork, true);
      const bySelector = await rt.listPodSandbox({ labelSelector: { 'conformance.kubeedge-ts/run': run, 'conformance.kubeedge-ts/pod': 'lifecycle' } });
      assert.deepEqual(bySelector.map((s) => s.id), [id]);
      const cid = await rt.createContainer(id, containerConfig('inside', 'sleep 1000'), config);
      await rt.startContainer(cid);
      await rt.stopPodSandbox(id);
      await rt.stopPodSandbox(id);
      assert.equal((await rt.podSandboxStatus(id)).state, 'notready');
      assert.equal((await rt.containerStatus(cid)).state, 'exited');
      await rt.removePodSandbox(id);
      await rt.removePodSandbox(id);
      await assert.rejects(rt.podSandboxStatus(id), hasCode('NotFound'));
      await assert.rejects(rt.containerStatus(cid), hasCode('NotFound'));
      assert.equal((await rt.listPodSandbox({ id })).length, 0);
    });

    test('a container goes created -> running -> exited with its exit code and reason', async () => {
      const id = await rt.createContainer(shared.id, containerConfig('exit-3', 'echo started; sleep 1; exit 3'), shared.config);
      assert.equal((await rt.containerStatus(id)).state, 'created');
      await rt.startContainer(id);
      const running = await rt.containerStatus(id);
      assert.ok(running.state === 'running' || running.state === 'exited');
      assert.ok(running.startedAt > 0);
      const s = await exited(id);
      assert.equal(s.exitCode, 3);
      assert.equal(s.reason, 'Error');
      assert.ok(s.finishedAt >= s.startedAt);
      const ok = await exited(await start('exit-0', 'exit 0'));
      assert.equal(ok.exitCode, 0);
      assert.equal(ok.reason, 'Completed');
    });

    test('labels and annotations round trip; list filters by label, sandbox, state and id', async () => {
      const extra = (role: string) => ({
        labels: { 'conformance.kubeedge-ts/role': role, 'conformance.kubeedge-ts/run': run },
        annotations: { 'conformance.kubeedge-ts/hash': `h-${role}` },
      });
      const a = await start('label-a', 'sleep 1000', extra('a'));
      const b = await start('label-b', 'exit 0', extra('b'));
      await exited(b);
      const sa = await rt.containerStatus(a);
      assert.equal(sa.labels['conformance.kubeedge-ts/role'], 'a');
      assert.equal(sa.annotations['conformance.kubeedge-ts/hash'], 'h-a');
      const onlyA = await rt.listContainers({ labelSelector: { 'conformance.kubeedge-ts/role': 'a', 'conformance.kubeedge-ts/run': run } });
      assert.deepEqual(onlyA.map((c) => c.id), [a]);
      assert.equal(onlyA[0]?.podSandboxId, shared.id);
      assert.equal(onlyA[0]?.annotations['conformance.kubeedge-ts/hash'], 'h-a');
      const ours = await rt.listContainers({ podSandboxId: shared.id, labelSelector: { 'conformance.kubeedge-ts/run': run } });
      assert.deepEqual(ours.map((c) => c.id).sort(), [a, b].sort());
      const runningOnes = await rt.listContainers({ podSandboxId: shared.id, state: 'running', labelSelector: { 'conformance.kubeedge-ts/run': run } });
      assert.deepEqual(runningOnes.map((c) => c.id), [a]);
      assert.deepEqual((await rt.listContainers({ id: b })).map((c) => c.id), [b]);
      await rt.stopContainer(a, 0);
    });

    test('logs are written in CRI format with stdout and stderr tags and partial lines', async () => {
      const id = await start('logs', 'echo out1; echo err1 >&2; echo out2; printf tail');
      await exited(id);
      const status = await rt.containerStatus(id);
      assert.equal(status.logPath, join(shared.config.logDirectory, 'logs/0.log'));
      const lines = await logOf(id);
      const of = (stream: string) => lines.filter((l) => l.stream === stream).map((l) => `${l.tag} ${l.text}`);
      assert.deepEqual(of('stdout'), ['F out1', 'F out2', 'P tail']);
      assert.deepEqual(of('stderr'), ['F err1']);
    });

    test('stop: a TERM trap exits on its own; a process ignoring TERM is killed after the grace period', async () => {
      const graceful = await start('trap-term', 'trap "echo bye; exit 0" TERM; echo ready; while :; do sleep 1 & wait $!; done');
      await logSays(graceful, 'ready');
      await rt.stopContainer(graceful, 60);
      const g = await rt.containerStatus(graceful);
      assert.equal(g.state, 'exited');
      assert.equal(g.exitCode, 0);
      assert.ok((await stdoutOf(graceful)).includes('bye'));
      const stubborn = await start('ignore-term', 'trap "" TERM; echo ready; while :; do sleep 1; done');
      await logSays(stubborn, 'ready');
      await rt.stopContainer(stubborn, 1);
      const s = await rt.containerStatus(stubborn);
      assert.equal(s.state, 'exited');
      assert.equal(s.exitCode, 137);
      await rt.stopContainer(stubborn, 1);
    });

    test('execSync returns stdout, stderr and the exit code; a timeout is DeadlineExceeded', async () => {
      const id = await start('exec-sync', 'sleep 1000');
      const r = await rt.execSync(id, ['sh', '-c', 'echo out; echo err >&2; exit 5'], 10);
      assert.equal(r.stdout.toString(), 'out\n');
      assert.equal(r.stderr.toString(), 'err\n');
      assert.equal(r.exitCode, 5);
      await assert.rejects(rt.execSync(id, ['sleep', '30'], 1), hasCode('DeadlineExceeded'));
      await rt.stopContainer(id, 0);
    });

    test('streaming exec carries stdin to the command and reports its exit code', async () => {
      const id = await start('exec-stream', 'sleep 1000');
      const cat = await rt.exec({ containerId: id, cmd: ['cat'], tty: false, stdin: true, stdout: true, stderr: true });
      const out = readAll(cat.stdout);
      cat.stdin?.end('hello conformance\n');
      assert.equal(await out, 'hello conformance\n');
      assert.equal((await cat.done).exitCode, 0);
      const fail = await rt.exec({ containerId: id, cmd: ['sh', '-c', 'echo to-err >&2; exit 7'], tty: false, stdin: false, stdout: true, stderr: true });
      const [, err, done] = await Promise.all([readAll(fail.stdout), readAll(fail.stderr), fail.done]);
      assert.equal(err, 'to-err\n');
      assert.equal(done.exitCode, 7);
      await rt.stopContainer(id, 0);
    });

    test('env and workingDir apply to the container and to exec in it', async () => {
      const id = await start('env-wd', 'echo "var=$CONFORMANCE_VAR"; echo "pwd=$(pwd)"; sleep 1000', {
        envs: [{ key: 'CONFORMANCE_VAR', value: 'value with spaces' }],
        workingDir: '/tmp',
      });
      await logSays(id, 'pwd=/tmp');
      assert.ok((await stdoutOf(id)).includes('var=value with spaces'));
      const r = await rt.execSync(id, ['sh', '-c', 'echo "$CONFORMANCE_VAR"; pwd'], 10);
      assert.equal(r.stdout.toString(), 'value with spaces\n/tmp\n');
      await rt.stopContainer(id, 0);
    });

    test('a hostPath directory (read-only) and a file are visible at their containerPaths', async () => {
      const srcDir = join(work, 'mount-src');
      await mkdir(srcDir, { recursive: true });
      await writeFile(join(srcDir, 'data.txt'), 'mounted-content\n');
      const srcFile = join(work, 'mount-file.txt');
      await writeFile(srcFile, 'file-content\n');
      const dirTarget = `/tmp/conformance-dir-${run}`;
      const fileTarget = `/tmp/conformance-file-${run}.txt`;
      const id = await start(
        'mounts',
        `cat ${dirTarget}/data.txt; cat ${fileTarget}; if (echo x > ${dirTarget}/new.txt) 2>/dev/null; then echo writable; else echo readonly; fi`,
        { mounts: [{ hostPath: srcDir, containerPath: dirTarget, readonly: true }, { hostPath: srcFile, containerPath: fileTarget, readonly: false }] },
      );
      const s = await exited(id);
      assert.deepEqual(await stdoutOf(id), ['mounted-content', 'file-content', 'readonly']);
      assert.equal(s.exitCode, 0);
      await rt.removeContainer(id);
    });

    test('containerStats answers for a running container', async () => {
      const id = await start('stats', 'sleep 1000');
      const stats = await rt.containerStats(id);
      assert.equal(stats.id, id);
      assert.ok(stats.timestamp > 0);
      await rt.stopContainer(id, 0);
    });

    test('unknown ids: status is NotFound, remove succeeds', async () => {
      const unknown = 'f'.repeat(64);
      await assert.rejects(rt.containerStatus(unknown), hasCode('NotFound'));
      await assert.rejects(rt.podSandboxStatus(unknown), hasCode('NotFound'));
      await rt.removeContainer(unknown);
      await rt.removePodSandbox(unknown);
    });

    test('remove takes a container out of the list', async () => {
      const id = await start('removed', 'exit 0');
      await exited(id);
      await rt.removeContainer(id);
      await rt.removeContainer(id);
      assert.equal((await rt.listContainers({ id })).length, 0);
      await assert.rejects(rt.containerStatus(id), hasCode('NotFound'));
    });
  });
}
