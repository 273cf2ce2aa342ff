import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { createSilentLogger, createTestLogger } from '../../../core/index.js';
import { startFakeCriServer, type FakeCriServer } from '../../../testing/fake-cri-server.js';
import { RuntimeError, type ContainerRuntime, type ExecSession } from '../types.js';
import { createCriRuntime } from './cri-runtime.js';
import { criSocketExists, criSocketPath } from './socket-path.js';

const rejectsWith = async (p: Promise<unknown>, code: string, includes?: string): Promise<RuntimeError> => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof RuntimeError, `expected a RuntimeError, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  if (includes) assert.ok(err.message.includes(includes), err.message);
  return err;
};

const readAll = async (s: NodeJS.ReadableStream | null): Promise<string> => {
  if (!s) return '';
  let out = '';
  for await (const chunk of s) out += String(chunk);
  return out;
};

describe('createCriRuntime', () => {
  test('connects with Version, logs it, and says it isolates', async () => {
    const fake = await startFakeCriServer();
    const log = createTestLogger();
    const rt = await createCriRuntime({ endpoint: fake.socket, log });
    try {
      assert.equal(rt.kind, 'cri');
      assert.equal(rt.isolates, true);
      assert.equal(log.find('cri connected')[0]?.['runtimeName'], 'fake-cri');
      assert.equal(fake.callsOf('Version')[0]?.request['version'], 'v1');
      assert.deepEqual(await rt.runtime.version(), { version: '0.1.0', runtimeName: 'fake-cri', runtimeVersion: '1.0.0', runtimeApiVersion: 'v1' });
      fake.on('Status', () => ({ status: { conditions: [{ type: 'RuntimeReady', status: true }, { type: 'NetworkReady', status: false, reason: 'NoCNI', message: 'cni not ready' }] } }));
      assert.deepEqual(await rt.runtime.status(), [
        { type: 'RuntimeReady', status: true, reason: '', message: '' },
        { type: 'NetworkReady', status: false, reason: 'NoCNI', message: 'cni not ready' },
      ]);
    } finally {
      await rt.close();
      await fake.stop();
    }
  });

  test('a missing socket is Unavailable, naming the socket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cri-none-'));
    const sock = join(dir, 'none.sock');
    try {
      assert.equal(criSocketExists(`unix://${sock}`), false);
      await rejectsWith(createCriRuntime({ endpoint: `unix://${sock}`, log: createSilentLogger(), timeoutMs: 2000 }), 'Unavailable', sock);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a socket whose listener never speaks gRPC is Unavailable once the deadline passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cri-mute-'));
    const sock = join(dir, 'mute.sock');
    const accepted: Socket[] = [];
    const mute = createServer((conn) => { accepted.push(conn); /* and say nothing */ });
    await new Promise<void>((r) => mute.listen(sock, () => r()));
    try {
      assert.equal(criSocketExists(sock), true);
      await rejectsWith(createCriRuntime({ endpoint: sock, log: createSilentLogger(), timeoutMs: 300 }), 'Unavailable', sock);
    } finally {
      for (const conn of accepted) conn.destroy();
      await new Promise<void>((r) => mute.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('criSocketPath accepts unix:// URLs and paths only; criSocketExists wants a socket', () => {
    assert.equal(criSocketPath('unix:///run/c.sock'), '/run/c.sock');
    assert.equal(criSocketPath('/run/c.sock'), '/run/c.sock');
    assert.throws(() => criSocketPath('tcp://1.2.3.4:5'), (e: unknown) => e instanceof RuntimeError && e.code === 'InvalidArgument');
    const dir = mkdtempSync(join(tmpdir(), 'cri-file-'));
    writeFileSync(join(dir, 'f'), '');
    assert.equal(criSocketExists(join(dir, 'f')), false);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('CRI client errors and deadlines', () => {
  let fake: FakeCriServer;
  let rt: ContainerRuntime;
  before(async () => {
    fake = await startFakeCriServer();
    rt = await createCriRuntime({ endpoint: fake.endpoint, log: createSilentLogger(), timeoutMs: 500, lifecycleTimeoutMs: 500 });
  });
  after(async () => {
    await rt.close();
    await fake.stop();
  });

  test('gRPC codes map to RuntimeError codes and keep the runtime message', async () => {
    const cases: [number, string][] = [
      [status.NOT_FOUND, 'NotFound'], [status.ALREADY_EXISTS, 'AlreadyExists'], [status.INVALID_ARGUMENT, 'InvalidArgument'],
      [status.FAILED_PRECONDITION, 'FailedPrecondition'], [status.UNIMPLEMENTED, 'Unimplemented'], [status.PERMISSION_DENIED, 'PermissionDenied'],
      [status.RESOURCE_EXHAUSTED, 'ResourceExhausted'], [status.INTERNAL, 'Unknown'], [status.UNKNOWN, 'Unknown'],
    ];
    for (const [code, expected] of cases) {
      fake.on('ContainerStatus', () => { throw { code, details: `container "x": boom ${code}` }; });
      const err = await rejectsWith(rt.runtime.containerStatus('x'), expected, `container "x": boom ${code}`);
      assert.ok(err.message.includes('ContainerStatus'));
    }
  });

  test('removals are idempotent: NotFound from the runtime is success', async () => {
    fake.on('RemoveContainer', () => { throw { code: status.NOT_FOUND, details: 'not found' }; });
    fake.on('RemovePodSandbox', () => { throw { code: status.NOT_FOUND, details: 'not found' }; });
    await rt.runtime.removeContainer('gone');
    await rt.runtime.removePodSandbox('gone');
    fake.on('RemoveContainer', () => { throw { code: status.FAILED_PRECONDITION, details: 'still running' }; });
    await rejectsWith(rt.runtime.removeContainer('busy'), 'FailedPrecondition', 'still running');
  });

  test('a call the runtime never answers ends with DeadlineExceeded', async () => {
    fake.on('ListPodSandbox', () => new Promise(() => { /* never */ }));
    await rejectsWith(rt.runtime.listPodSandbox(), 'DeadlineExceeded', 'ListPodSandbox');
    fake.on('StartContainer', () => new Promise(() => { /* never */ }));
    await rejectsWith(rt.runtime.startContainer('c'), 'DeadlineExceeded');
  });

  test('ExecSync: the runtime timeout is sent, and a hung exec still ends with DeadlineExceeded', async () => {
    fake.on('ExecSync', () => new Promise(() => { /* never */ }));
    await rejectsWith(rt.runtime.execSync('c', ['sleep', '99'], 1), 'DeadlineExceeded');
    assert.equal(fake.callsOf('ExecSync').at(-1)?.request['timeout'], '1');
    fake.on('ExecSync', () => { throw { code: status.DEADLINE_EXCEEDED, details: 'timeout 1s exceeded: context deadline exceeded' }; });
    await rejectsWith(rt.runtime.execSync('c', ['sleep', '99'], 1), 'DeadlineExceeded', 'timeout 1s exceeded');
  });

  test('the runtime going away mid-call is Unavailable; the client works again after it is back', async () => {
    fake.on('ListContainers', () => new Promise(() => { /* hold the call open */ }));
    const pending = rt.runtime.listContainers();
    await new Promise((r) => setTimeout(r, 50));
    await fake.kill();
    await rejectsWith(pending, 'Unavailable', fake.socket);
    await rejectsWith(rt.runtime.version(), 'Unavailable', fake.socket);
    await fake.restart();
    fake.on('ListContainers', () => ({ containers: [] }));
    let answer: unknown;
    for (let i = 0; i < 100 && answer === undefined; i++) {
      answer = await rt.runtime.listContainers().catch(async (e: unknown) => {
        assert.ok(e instanceof RuntimeError && e.code === 'Unavailable', String(e));
        await new Promise((r) => setTimeout(r, 100));
        return undefined;
      });
    }
    assert.deepEqual(answer, []);
  });
});

describe('CRI Exec streaming', () => {
  for (const protocol of ['v4.channel.k8s.io', 'v5.channel.k8s.io'] as const) {
    test(`${protocol}: stdin lines echo to stdout and stderr; the exit code comes from the status`, async () => {
      const fake = await startFakeCriServer({ execProtocol: protocol });
      const rt = await createCriRuntime({ endpoint: fake.endpoint, log: createSilentLogger(), execTransport: 'websocket' });
      let session: ExecSession | undefined;
      try {
        session = await rt.runtime.exec({ containerId: 'c-1', cmd: ['sh'], tty: false, stdin: true, stdout: true, stderr: true });
        const exec = fake.callsOf('Exec')[0]?.request;
        assert.deepEqual([exec?.['containerId'], exec?.['cmd'], exec?.['stdin'], exec?.['stderr']], ['c-1', ['sh'], true, true]);
        const out = readAll(session.stdout);
        const err = readAll(session.stderr);
        session.stdin?.write('hello\n');
        session.stdin?.write('exit 3\n');
        assert.deepEqual(await session.done, { exitCode: 3, message: 'command terminated with non-zero exit code: 3' });
        assert.equal(await out, 'out:hello\n');
        assert.equal(await err, 'err:hello\n');
        assert.equal(fake.execSessions[0]?.protocol, protocol);
      } finally {
        session?.close();
        await rt.close();
        await fake.stop();
      }
    });
  }

  test('v5: ending stdin closes the stream (exit 0); with tty stderr is null and resize is sent', async () => {
    const fake = await startFakeCriServer({ execProtocol: 'v5.channel.k8s.io' });
    const rt = await createCriRuntime({ endpoint: fake.endpoint, log: createSilentLogger(), execTransport: 'websocket' });
    try {
      const session = await rt.runtime.exec({ containerId: 'c-1', cmd: ['sh'], tty: true, stdin: true, stdout: true, stderr: true });
      assert.equal(session.stderr, null);
      assert.equal(fake.callsOf('Exec')[0]?.request['stderr'], false);
      const out = readAll(session.stdout);
      session.resize(120, 40);
      session.stdin?.end('a\n');
      assert.deepEqual(await session.done, { exitCode: 0 });
      assert.equal(await out, 'out:a\nerr:a\n'); // tty: the one output stream
      const frames = fake.execSessions[0]?.frames ?? [];
      const resize = frames.find((f) => f[0] === 4);
      assert.deepEqual(JSON.parse(resize?.subarray(1).toString() ?? 'null'), { Width: 120, Height: 40 });
    } finally {
      await rt.close();
      await fake.stop();
    }
  });

  test('close() before the command ends resolves done with an unknown exit code', async () => {
    const fake = await startFakeCriServer();
    const rt = await createCriRuntime({ endpoint: fake.endpoint, log: createSilentLogger(), execTransport: 'websocket' });
    try {
      const session = await rt.runtime.exec({ containerId: 'c-1', cmd: ['sh'], tty: false, stdin: true, stdout: true, stderr: false });
      session.close();
      const done = await session.done;
      assert.equal(done.exitCode, null);
      // Writing after the end is dropped, not thrown.
      session.stdin?.write('late\n');
    } finally {
      await rt.close();
      await fake.stop();
    }
  });

  test('an exec URL nobody serves rejects with Unavailable', async () => {
    const fake = await startFakeCriServer();
    const rt = await createCriRuntime({ endpoint: fake.endpoint, log: createSilentLogger(), execTransport: 'websocket' });
    try {
      fake.on('Exec', () => ({ url: 'http://127.0.0.1:1/exec/x' }));
      await rejectsWith(rt.runtime.exec({ containerId: 'c', cmd: ['true'], tty: false, stdin: false, stdout: true, stderr: true }), 'Unavailable', '127.0.0.1:1');
    } finally {
      await rt.close();
      await fake.stop();
    }
  });
});
