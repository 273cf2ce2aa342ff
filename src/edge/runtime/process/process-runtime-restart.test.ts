// edgecore restarts: state answers again, and processes the previous edgecore left behind are killed
// and recorded as exited (edged restarts them per restartPolicy).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createSilentLogger } from '../../../core/index.js';
import { waitFor } from '../../../testing/runtime-conformance.js';
import { createProcessRuntime, RESTART_MESSAGE } from './index.js';
import { liveStartTime } from './proc-stat.js';
import type { RuntimeStateData } from './state-store.js';

// Runs in a separate node process that the test SIGKILLs, as a crashed edgecore.
const CHILD = `
const { createProcessRuntime } = await import(process.env.MOD);
const quiet = { debug() {}, info() {}, warn() {}, error() {}, child() { return quiet; } };
const rt = await createProcessRuntime({ stateDir: process.env.STATE_DIR, log: quiet });
const sc = { metadata: { name: 'p', namespace: 'default', uid: 'u', attempt: 0 }, hostname: '', logDirectory: process.env.STATE_DIR + '/logs',
  portMappings: [], labels: {}, annotations: {}, linux: { hostNetwork: true } };
const sb = await rt.runtime.runPodSandbox(sc);
const cfg = (name, cmd) => ({ metadata: { name, attempt: 0 }, image: 'busybox', command: cmd, args: [], workingDir: '', envs: [], mounts: [],
  labels: { app: 'x' }, annotations: {}, logPath: name + '.log', stdin: false, stdinOnce: false, tty: false, linux: {} });
const done = await rt.runtime.createContainer(sb, cfg('done', ['sh', '-c', 'exit 2']), sc);
await rt.runtime.startContainer(done);
const long = await rt.runtime.createContainer(sb, cfg('long', ['sh', '-c', 'sleep 1000 & wait']), sc);
await rt.runtime.startContainer(long);
process.stdout.write(JSON.stringify({ done, long }) + '\\n');
setInterval(() => {}, 1000);
`;

test('after a crash, a restarted runtime kills the orphans and marks them exited 137', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'process-restart-'));
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
    env: { ...process.env, MOD: new URL('./index.js', import.meta.url).href, STATE_DIR: dir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ids = await new Promise<{ done: string; long: string }>((resolve) => child.stdout.once('data', (b: Buffer) => resolve(JSON.parse(b.toString()))));
  const statePath = join(dir, 'state.json');
  const recorded = await waitFor('both recorded', async () => {
    const st = JSON.parse(await readFile(statePath, 'utf8').catch(() => '{}')) as Partial<RuntimeStateData>;
    const long = st.containers?.[ids.long];
    return long?.state === 'running' && st.containers?.[ids.done]?.state === 'exited' ? long : undefined;
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  assert.equal(await liveStartTime(recorded.pid), recorded.pidStartTime, 'the container outlived its edgecore');

  const rt = await createProcessRuntime({ stateDir: dir, log: createSilentLogger() });
  try {
    const long = await rt.runtime.containerStatus(ids.long);
    assert.deepEqual([long.state, long.exitCode, long.reason, long.message], ['exited', 137, 'Error', RESTART_MESSAGE]);
    const done = await rt.runtime.containerStatus(ids.done);
    assert.deepEqual([done.state, done.exitCode, done.reason], ['exited', 2, 'Error']);
    assert.deepEqual((await rt.runtime.listContainers({ labelSelector: { app: 'x' } })).length, 2);
    assert.equal((await rt.runtime.listPodSandbox())[0]?.state, 'ready');
    await waitFor('the orphan to die', async () => ((await liveStartTime(recorded.pid)) === undefined ? true : undefined));
  } finally {
    await rt.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a running record whose pid is gone or recycled is marked exited without killing anything', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'process-restart-'));
  const first = await createProcessRuntime({ stateDir: dir, log: createSilentLogger() });
  const sc = { metadata: { name: 'p', namespace: 'd', uid: 'u', attempt: 0 }, hostname: '', logDirectory: join(dir, 'logs'), portMappings: [], labels: {}, annotations: {}, linux: { hostNetwork: true } };
  const sb = await first.runtime.runPodSandbox(sc);
  const id = await first.runtime.createContainer(sb, { metadata: { name: 'c', attempt: 1 }, image: 'busybox', command: ['true'], args: [], workingDir: '', envs: [], mounts: [], labels: {}, annotations: {}, logPath: '', stdin: false, stdinOnce: false, tty: false, linux: {} }, sc);
  await first.close();
  // Fake "running" with our own pid and a start time that is not ours: a recycled pid.
  const st = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as RuntimeStateData;
  Object.assign(st.containers[id] ?? {}, { state: 'running', pid: process.pid, pidStartTime: 'not-the-start-time', startedAt: 1 });
  await writeFile(join(dir, 'state.json'), JSON.stringify(st));
  const second = await createProcessRuntime({ stateDir: dir, log: createSilentLogger() });
  try {
    const s = await second.runtime.containerStatus(id);
    assert.deepEqual([s.state, s.exitCode, s.message], ['exited', 137, RESTART_MESSAGE]);
    assert.equal(s.metadata.attempt, 1);
  } finally {
    await second.close();
    await rm(dir, { recursive: true, force: true });
  }
});
