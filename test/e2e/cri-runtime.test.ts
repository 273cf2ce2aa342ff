// The CRI client against a real containerd 1.6 (started by the harness on its own socket, images built
// locally): sandboxes on the host network and on a bridge CNI network, containers, CRI logs, exec, stats,
// images, errors, and containerd dying mid-call.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createTestLogger } from '../../src/core/index.js';
import { createCriRuntime } from '../../src/edge/runtime/cri/index.js';
import { RuntimeError, type ContainerConfig, type ContainerRuntime, type ContainerState, type PodSandboxConfig } from '../../src/edge/runtime/types.js';
import { startContainerd, type Containerd } from '../harness/containerd.js';
import { BUSYBOX_IMAGE, buildTestImages, importImages } from '../harness/images.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const readAll = async (s: Readable | null): Promise<string> => {
  if (!s) return '';
  const parts: Buffer[] = [];
  for await (const chunk of s) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('utf8');
};

const isCode = (code: string) => (e: unknown): boolean => {
  assert.ok(e instanceof RuntimeError, String(e));
  assert.equal(e.code, code, e.message);
  return true;
};

describe('CRI runtime against containerd', () => {
  let ctd: Containerd;
  let cri: ContainerRuntime;
  let work: string;
  const log = createTestLogger({ level: 'warn' });
  const run = Math.random().toString(16).slice(2, 8);

  const sandboxConfig = (name: string, hostNetwork: boolean): PodSandboxConfig => ({
    metadata: { name, uid: `${run}-${name}`, namespace: 'cri-e2e', attempt: 0 },
    hostname: hostNetwork ? '' : name,
    logDirectory: join(work, 'logs', name),
    portMappings: [],
    labels: { 'e2e.kubeedge-ts/run': run },
    annotations: {},
    linux: { hostNetwork },
  });
  const containerConfig = (name: string, script: string): ContainerConfig => ({
    metadata: { name, attempt: 0 },
    image: BUSYBOX_IMAGE,
    command: ['sh', '-c', script],
    args: [],
    workingDir: '',
    envs: [{ key: 'GREETING', value: 'hello from cri' }],
    mounts: [],
    labels: { 'e2e.kubeedge-ts/run': run },
    annotations: {},
    logPath: `${name}/0.log`,
    stdin: false, stdinOnce: false, tty: false,
    linux: {},
  });
  const waitState = (id: string, state: ContainerState) =>
    until(`container ${id} ${state}`, async () => {
      const s = await cri.runtime.containerStatus(id);
      return s.state === state ? s : undefined;
    });

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'cri-e2e-'));
    const [started, images] = await Promise.all([startContainerd(), buildTestImages()]);
    ctd = started;
    await importImages(ctd, images);
    cri = await createCriRuntime({ endpoint: ctd.endpoint, log });
  });
  after(async () => {
    await cri?.close();
    await ctd?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('Version and Status', async () => {
    const v = await cri.runtime.version();
    assert.equal(v.runtimeName, 'containerd');
    assert.equal(v.runtimeApiVersion, 'v1');
    assert.match(v.runtimeVersion, /1\.6/);
    const conditions = await cri.runtime.status();
    assert.deepEqual(conditions.map((c) => [c.type, c.status]), [['RuntimeReady', true], ['NetworkReady', true]]);
  });

  test('images: present, listed, missing is undefined; an unreachable registry is a clear error', async () => {
    const busybox = await cri.images.imageStatus(BUSYBOX_IMAGE);
    assert.ok(busybox, 'busybox imported');
    assert.match(busybox.id, /^sha256:/);
    assert.ok(busybox.repoTags.includes(BUSYBOX_IMAGE));
    assert.ok(busybox.size > 0);
    assert.ok((await cri.images.listImages()).some((i) => i.id === busybox.id));
    assert.equal(await cri.images.imageStatus('kubeedge-ts.local/missing:0'), undefined);
    // There is no registry here: only the failure of a pull is checked.
    const err = await cri.images.pullImage('127.0.0.1:1/none:1').then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof RuntimeError, String(err));
    assert.ok(err.message.includes('127.0.0.1:1/none:1'), err.message);
    assert.ok(err.message.includes('PullImage'), err.message);
  });

  test('host-network sandbox: a container writes CRI logs, exits with its code, and is cleaned up', async () => {
    const sbConfig = sandboxConfig('hostnet', true);
    const sb = await cri.runtime.runPodSandbox(sbConfig);
    const st = await cri.runtime.podSandboxStatus(sb);
    assert.equal(st.state, 'ready');
    assert.equal(st.hostNetwork, true);
    assert.equal(st.metadata.name, 'hostnet');
    assert.ok(st.createdAt > Date.now() - 600_000 && st.createdAt <= Date.now() + 1000, `createdAt ${st.createdAt} is ms`);
    assert.ok((await cri.runtime.listPodSandbox({ labelSelector: { 'e2e.kubeedge-ts/run': run } })).some((s) => s.id === sb));

    const id = await cri.runtime.createContainer(sb, containerConfig('writer', 'echo "$GREETING"; echo to-stderr >&2; exit 3'), sbConfig);
    assert.equal((await cri.runtime.containerStatus(id)).state, 'created');
    await cri.runtime.startContainer(id);
    const s = await waitState(id, 'exited');
    assert.equal(s.exitCode, 3);
    assert.equal(s.reason, 'Error');
    assert.ok(s.startedAt > 0 && s.finishedAt >= s.startedAt, JSON.stringify(s));
    assert.equal(s.logPath, join(sbConfig.logDirectory, 'writer/0.log'));
    const lines = readFileSync(s.logPath, 'utf8').split('\n').filter((l) => l !== '');
    const parsed = lines.map((l) => /^(\S+) (stdout|stderr) ([FP]) (.*)$/.exec(l)?.slice(1));
    assert.deepEqual(parsed.map((p) => p?.slice(1)).sort(), [['stderr', 'F', 'to-stderr'], ['stdout', 'F', 'hello from cri']]);
    assert.ok(parsed.every((p) => !Number.isNaN(Date.parse(p?.[0] ?? ''))));
    const listed = await cri.runtime.listContainers({ podSandboxId: sb });
    assert.deepEqual(listed.map((c) => [c.id, c.state, c.image]), [[id, 'exited', BUSYBOX_IMAGE]]);

    await cri.runtime.stopContainer(id, 5); // already stopped: succeeds
    await cri.runtime.removeContainer(id);
    await assert.rejects(cri.runtime.containerStatus(id), isCode('NotFound'));
    await cri.runtime.removeContainer(id); // idempotent
    await cri.runtime.stopPodSandbox(sb);
    assert.equal((await cri.runtime.podSandboxStatus(sb)).state, 'notready');
    await cri.runtime.removePodSandbox(sb);
    await assert.rejects(cri.runtime.podSandboxStatus(sb), isCode('NotFound'));
    await cri.runtime.removePodSandbox(sb);
  });

  test('pod-network sandbox: an IP from the bridge CNI, exec, streaming exec, stats, graceful stop', async () => {
    const sbConfig = sandboxConfig('podnet', false);
    const sb = await cri.runtime.runPodSandbox(sbConfig);
    const st = await cri.runtime.podSandboxStatus(sb);
    assert.equal(st.hostNetwork, false);
    const prefix = ctd.network.cidr.replace(/0\/24$/, '');
    assert.ok(st.network.ip.startsWith(prefix), `pod IP ${st.network.ip} in ${ctd.network.cidr}`);

    const id = await cri.runtime.createContainer(sb, containerConfig('server', 'trap "echo bye; exit 0" TERM; while true; do sleep 0.2; done'), sbConfig);
    await cri.runtime.startContainer(id);
    await waitState(id, 'running');

    const r = await cri.runtime.execSync(id, ['sh', '-c', 'echo out; hostname; echo err >&2; exit 5'], 10);
    assert.deepEqual([r.stdout.toString(), r.stderr.toString(), r.exitCode], ['out\npodnet\n', 'err\n', 5]);
    await assert.rejects(cri.runtime.execSync(id, ['sleep', '30'], 1), isCode('DeadlineExceeded'));

    // SPDY (default): stdin EOF reaches the command.
    const cat = await cri.runtime.exec({ containerId: id, cmd: ['sh', '-c', 'cat; echo e >&2'], tty: false, stdin: true, stdout: true, stderr: true });
    const [catOut, catErr] = [readAll(cat.stdout), readAll(cat.stderr)];
    cat.stdin?.write('ping\n');
    cat.stdin?.end('pong\n');
    assert.deepEqual(await cat.done, { exitCode: 0 });
    assert.equal(await catOut, 'ping\npong\n');
    assert.equal(await catErr, 'e\n');
    const failing = await cri.runtime.exec({ containerId: id, cmd: ['sh', '-c', 'exit 7'], tty: false, stdin: false, stdout: true, stderr: true });
    const failed = await failing.done;
    assert.equal(failed.exitCode, 7);
    assert.match(failed.message ?? '', /exit code 7/);
    const tty = await cri.runtime.exec({ containerId: id, cmd: ['sh', '-c', 'sleep 0.3; stty size'], tty: true, stdin: false, stdout: true, stderr: true });
    assert.equal(tty.stderr, null);
    assert.equal(tty.stdin, null);
    tty.resize(100, 30);
    const ttyOut = readAll(tty.stdout);
    assert.equal((await tty.done).exitCode, 0);
    assert.equal(await ttyOut, '30 100\r\n');

    // websocket v4.channel.k8s.io: the same server, no stdin EOF, so the command reads one line.
    const wsCri = await createCriRuntime({ endpoint: ctd.endpoint, log, execTransport: 'websocket' });
    try {
      const echo = await wsCri.runtime.exec({ containerId: id, cmd: ['sh', '-c', 'read line; echo "got:$line"; echo e >&2; exit 4'], tty: false, stdin: true, stdout: true, stderr: true });
      const [out, err] = [readAll(echo.stdout), readAll(echo.stderr)];
      echo.stdin?.write('ping\n');
      assert.equal((await echo.done).exitCode, 4);
      assert.equal(await out, 'got:ping\n');
      assert.equal(await err, 'e\n');
    } finally {
      await wsCri.close();
    }

    const stats = await cri.runtime.containerStats(id);
    assert.equal(stats.id, id);
    assert.ok((stats.cpuUsageCoreNanoSeconds ?? 0) > 0, JSON.stringify(stats));
    assert.ok((stats.memoryWorkingSetBytes ?? 0) > 0, JSON.stringify(stats));

    await cri.runtime.stopContainer(id, 10);
    const stopped = await cri.runtime.containerStatus(id);
    assert.equal(stopped.state, 'exited');
    assert.equal(stopped.exitCode, 0, 'the TERM trap ran: graceful stop');
    assert.ok(readFileSync(stopped.logPath, 'utf8').includes('stdout F bye'));
    await cri.runtime.removeContainer(id);
    await cri.runtime.stopPodSandbox(sb);
    await cri.runtime.removePodSandbox(sb);
  });

  test('containerd killed mid-call: Unavailable at once; the client works again after a restart', async () => {
    const sbConfig = sandboxConfig('survivor', true);
    const sb = await cri.runtime.runPodSandbox(sbConfig);
    const id = await cri.runtime.createContainer(sb, containerConfig('sleeper', 'sleep 1000'), sbConfig);
    await cri.runtime.startContainer(id);
    await waitState(id, 'running');

    // A call that would last 60 s; the code being Unavailable (not DeadlineExceeded) shows it ended early.
    const pending = cri.runtime.execSync(id, ['sleep', '60'], 60).then(() => undefined, (e: unknown) => e);
    await sleep(500);
    ctd.kill();
    const err = await pending;
    assert.ok(err instanceof RuntimeError, String(err));
    assert.equal(err.code, 'Unavailable', err.message);
    assert.ok(err.message.includes(ctd.socket), err.message);
    await assert.rejects(cri.runtime.listContainers(), isCode('Unavailable'));

    await ctd.restart();
    const status = await until('the client to reach the restarted containerd', () =>
      cri.runtime.containerStatus(id).catch((e: unknown) => {
        assert.ok(e instanceof RuntimeError && e.code === 'Unavailable', String(e));
        return undefined;
      }));
    assert.equal(status.state, 'running', 'the container outlived containerd');
    await cri.runtime.stopContainer(id, 0);
    await cri.runtime.removeContainer(id);
    await cri.runtime.stopPodSandbox(sb);
    await cri.runtime.removePodSandbox(sb);
  });
});
