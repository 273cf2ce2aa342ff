// Wire-level checks of the CRI client against field numbers written here by hand from the public
// runtime.v1 api.proto, independent of our api.proto: requests are decoded from the raw bytes the fake
// server received, replies are encoded by hand. A wrong field number in api.proto fails here.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSilentLogger } from '../../../core/index.js';
import { RawReply, startFakeCriServer, type FakeCriServer } from '../../../testing/fake-cri-server.js';
import type { ContainerRuntime, PodSandboxConfig, ContainerConfig } from '../types.js';
import { createCriRuntime } from './cri-runtime.js';

type Field = { field: number; value: bigint | Buffer };

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const b = buf[pos++];
    if (b === undefined) throw new Error('truncated varint');
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
}

function decode(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, p1] = readVarint(buf, pos);
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [v, p2] = readVarint(buf, p1);
      out.push({ field, value: v });
      pos = p2;
    } else if (wire === 2) {
      const [len, p2] = readVarint(buf, p1);
      out.push({ field, value: buf.subarray(p2, p2 + Number(len)) });
      pos = p2 + Number(len);
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  return out;
}

/** The value at a path of field numbers (first occurrence at each level). */
function at(buf: Buffer, ...path: number[]): bigint | Buffer | undefined {
  let cur: bigint | Buffer | undefined = buf;
  for (const f of path) {
    if (!Buffer.isBuffer(cur)) return undefined;
    cur = decode(cur).find((x) => x.field === f)?.value;
  }
  return cur;
}
const str = (v: bigint | Buffer | undefined): string | undefined => (Buffer.isBuffer(v) ? v.toString('utf8') : undefined);

function varint(n: bigint): Buffer {
  const bytes: number[] = [];
  let v = BigInt.asUintN(64, n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    bytes.push(b);
  } while (v > 0n);
  return Buffer.from(bytes);
}
const fInt = (field: number, n: bigint | number): Buffer => Buffer.concat([varint(BigInt(field << 3)), varint(BigInt(n))]);
const fBytes = (field: number, b: Buffer | string): Buffer => {
  const body = typeof b === 'string' ? Buffer.from(b) : b;
  return Buffer.concat([varint(BigInt((field << 3) | 2)), varint(BigInt(body.length)), body]);
};
const msg = (...parts: Buffer[]): Buffer => Buffer.concat(parts);

const sandbox: PodSandboxConfig = {
  metadata: { name: 'web', uid: 'u-1', namespace: 'default', attempt: 2 },
  hostname: '',
  logDirectory: '/var/log/pods/default_web_u-1',
  portMappings: [{ protocol: 'UDP', containerPort: 53, hostPort: 5353, hostIp: '' }],
  labels: { app: 'web' },
  annotations: {},
  linux: { hostNetwork: true },
};
const container: ContainerConfig = {
  metadata: { name: 'app', attempt: 1 },
  image: 'busybox:1.36',
  command: ['sh'],
  args: ['-c', 'echo hi'],
  workingDir: '/w',
  envs: [{ key: 'A', value: 'b' }],
  mounts: [{ containerPath: '/data', hostPath: '/tmp/d', readonly: true, propagation: 'hostToContainer' }],
  labels: {}, annotations: {},
  logPath: 'app/1.log',
  stdin: false, stdinOnce: false, tty: true,
  linux: { resources: { memoryLimitInBytes: 64 * 1024 * 1024, cpuQuota: 50_000 }, securityContext: { runAsUser: 1000, readonlyRootfs: true } },
};

describe('CRI client on the wire (hand-written field numbers)', () => {
  let fake: FakeCriServer;
  let rt: ContainerRuntime;
  before(async () => {
    fake = await startFakeCriServer();
    rt = await createCriRuntime({ endpoint: fake.endpoint, log: createSilentLogger() });
  });
  after(async () => {
    await rt.close();
    await fake.stop();
  });

  test('RunPodSandbox encodes config fields by their public numbers', async () => {
    fake.on('RunPodSandbox', () => ({ podSandboxId: 'sb-1' }));
    assert.equal(await rt.runtime.runPodSandbox(sandbox, 'runc'), 'sb-1');
    const raw = fake.callsOf('RunPodSandbox')[0]?.raw;
    assert.ok(raw);
    assert.equal(str(at(raw, 2)), 'runc'); // runtime_handler = 2
    assert.equal(str(at(raw, 1, 1, 1)), 'web'); // config.metadata.name
    assert.equal(str(at(raw, 1, 1, 3)), 'default'); // metadata.namespace = 3
    assert.equal(at(raw, 1, 1, 4), 2n); // metadata.attempt = 4
    assert.equal(str(at(raw, 1, 3)), '/var/log/pods/default_web_u-1'); // log_directory = 3
    assert.equal(at(raw, 1, 5, 1), 1n); // port_mappings[0].protocol UDP = 1
    assert.equal(at(raw, 1, 5, 3), 5353n); // host_port = 3
    assert.equal(str(at(raw, 1, 6, 1)), 'app'); // labels map entry key
    assert.equal(at(raw, 1, 8, 2, 1, 1), 2n); // linux.security_context.namespace_options.network NODE = 2
    assert.equal(at(raw, 1, 8, 2, 1, 2), 1n); // pid CONTAINER = 1
  });

  test('CreateContainer encodes container config, security context and sandbox config', async () => {
    fake.on('CreateContainer', () => ({ containerId: 'c-1' }));
    assert.equal(await rt.runtime.createContainer('sb-1', container, sandbox), 'c-1');
    const raw = fake.callsOf('CreateContainer')[0]?.raw;
    assert.ok(raw);
    assert.equal(str(at(raw, 1)), 'sb-1');
    assert.equal(str(at(raw, 2, 2, 1)), 'busybox:1.36'); // config.image.image
    assert.equal(str(at(raw, 2, 3)), 'sh'); // command = 3
    assert.equal(str(at(raw, 2, 4)), '-c'); // args = 4
    assert.equal(str(at(raw, 2, 5)), '/w'); // working_dir = 5
    assert.equal(str(at(raw, 2, 6, 2)), 'b'); // envs[0].value = 2
    assert.equal(str(at(raw, 2, 7, 2)), '/tmp/d'); // mounts[0].host_path = 2
    assert.equal(at(raw, 2, 7, 3), 1n); // readonly = 3
    assert.equal(at(raw, 2, 7, 5), 1n); // propagation HOST_TO_CONTAINER = 1
    assert.equal(str(at(raw, 2, 11)), 'app/1.log'); // log_path = 11
    assert.equal(at(raw, 2, 14), 1n); // tty = 14
    assert.equal(at(raw, 2, 15, 1, 2), 50_000n); // linux.resources.cpu_quota = 2
    assert.equal(at(raw, 2, 15, 1, 4), 67_108_864n); // memory_limit_in_bytes = 4
    assert.equal(at(raw, 2, 15, 2, 3, 1), 2n); // security_context.namespace_options.network NODE
    assert.equal(at(raw, 2, 15, 2, 5, 1), 1000n); // run_as_user.value
    assert.equal(at(raw, 2, 15, 2, 7), 1n); // readonly_rootfs = 7
    assert.equal(str(at(raw, 3, 3)), '/var/log/pods/default_web_u-1'); // sandbox_config.log_directory
  });

  test('StopContainer and ExecSync send timeouts in seconds', async () => {
    await rt.runtime.stopContainer('c-1', 7);
    const stop = fake.callsOf('StopContainer')[0]?.raw;
    assert.ok(stop);
    assert.equal(str(at(stop, 1)), 'c-1');
    assert.equal(at(stop, 2), 7n);
    fake.on('ExecSync', () => new RawReply(msg(fBytes(1, 'out'), fBytes(2, 'err'), fInt(3, 4))));
    const res = await rt.runtime.execSync('c-1', ['ls', '-l'], 3);
    assert.deepEqual({ out: res.stdout.toString(), err: res.stderr.toString(), code: res.exitCode }, { out: 'out', err: 'err', code: 4 });
    const exec = fake.callsOf('ExecSync')[0]?.raw;
    assert.ok(exec);
    assert.deepEqual(decode(exec).filter((f) => f.field === 2).map((f) => str(f.value)), ['ls', '-l']);
    assert.equal(at(exec, 3), 3n);
  });

  test('ContainerStatus decodes hand-encoded fields, nanoseconds to milliseconds', async () => {
    const status = msg(
      fBytes(1, 'c-9'), fBytes(2, msg(fBytes(1, 'app'), fInt(2, 3))), fInt(3, 2),
      fInt(4, 1_700_000_000_123_456_789n), fInt(5, 1_700_000_001_000_000_000n), fInt(6, 1_700_000_002_999_999_999n),
      fInt(7, 137), fBytes(8, msg(fBytes(1, 'busybox:1.36'))), fBytes(9, 'sha256:abc'), fBytes(10, 'OOMKilled'),
      fBytes(11, 'killed'), fBytes(12, msg(fBytes(1, 'k'), fBytes(2, 'v'))), fBytes(15, '/logs/app/3.log'),
    );
    fake.on('ContainerStatus', () => new RawReply(fBytes(1, status)));
    const s = await rt.runtime.containerStatus('c-9');
    assert.deepEqual(s, {
      id: 'c-9', metadata: { name: 'app', attempt: 3 }, state: 'exited',
      createdAt: 1_700_000_000_123, startedAt: 1_700_000_001_000, finishedAt: 1_700_000_002_999,
      exitCode: 137, image: 'busybox:1.36', imageRef: 'sha256:abc', reason: 'OOMKilled', message: 'killed',
      labels: { k: 'v' }, annotations: {}, logPath: '/logs/app/3.log',
    });
  });

  test('PodSandboxStatus decodes network and host-network namespace mode', async () => {
    const st = msg(
      fBytes(1, 'sb-2'), fBytes(2, msg(fBytes(1, 'web'), fBytes(2, 'u'), fBytes(3, 'ns'), fInt(4, 1))), fInt(3, 1),
      fInt(4, 5_000_000n), fBytes(5, msg(fBytes(1, '10.1.0.5'), fBytes(2, msg(fBytes(1, 'fd00::5'))))),
      fBytes(6, msg(fBytes(1, msg(fBytes(2, msg(fInt(1, 2))))))),
    );
    fake.on('PodSandboxStatus', () => new RawReply(fBytes(1, st)));
    const s = await rt.runtime.podSandboxStatus('sb-2');
    assert.deepEqual(s, {
      id: 'sb-2', metadata: { name: 'web', uid: 'u', namespace: 'ns', attempt: 1 }, state: 'notready', createdAt: 5,
      labels: {}, annotations: {}, network: { ip: '10.1.0.5', additionalIps: ['fd00::5'] }, hostNetwork: true,
    });
  });

  test('ContainerStats reads cpu usage_core_nano_seconds and memory working_set_bytes', async () => {
    const stats = msg(
      fBytes(1, msg(fBytes(1, 'c-3'))),
      fBytes(2, msg(fInt(1, 2_000_000_000n), fBytes(2, msg(fInt(1, 123_456_789n))))),
      fBytes(3, msg(fInt(1, 2_000_000_000n), fBytes(2, msg(fInt(1, 4096))))),
    );
    fake.on('ContainerStats', () => new RawReply(fBytes(1, stats)));
    assert.deepEqual(await rt.runtime.containerStats('c-3'), { id: 'c-3', timestamp: 2000, cpuUsageCoreNanoSeconds: 123_456_789, memoryWorkingSetBytes: 4096 });
  });

  test('images: empty ImageStatus is undefined, a present one decodes; PullImage sends auth and returns image_ref', async () => {
    fake.on('ImageStatus', () => new RawReply(Buffer.alloc(0)));
    assert.equal(await rt.images.imageStatus('missing:1'), undefined);
    assert.equal(str(at(fake.callsOf('ImageStatus')[0]?.raw ?? Buffer.alloc(0), 1, 1)), 'missing:1');
    const image = msg(fBytes(1, 'sha256:1'), fBytes(2, 'busybox:1.36'), fBytes(3, 'busybox@sha256:2'), fInt(4, 1_234_567));
    fake.on('ImageStatus', () => new RawReply(fBytes(1, image)));
    assert.deepEqual(await rt.images.imageStatus('busybox:1.36'), { id: 'sha256:1', repoTags: ['busybox:1.36'], repoDigests: ['busybox@sha256:2'], size: 1_234_567 });
    fake.on('PullImage', () => new RawReply(fBytes(1, 'sha256:pulled')));
    assert.equal(await rt.images.pullImage('reg/x:1', { username: 'u', password: 'p', serverAddress: 'reg' }), 'sha256:pulled');
    const pull = fake.callsOf('PullImage')[0]?.raw;
    assert.ok(pull);
    assert.equal(str(at(pull, 1, 1)), 'reg/x:1');
    assert.equal(str(at(pull, 2, 1)), 'u'); // auth.username = 1
    assert.equal(str(at(pull, 2, 2)), 'p'); // auth.password = 2
    assert.equal(str(at(pull, 2, 4)), 'reg'); // auth.server_address = 4
  });

  test('ListContainers sends the filter and decodes items', async () => {
    const c = msg(fBytes(1, 'c-1'), fBytes(2, 'sb-1'), fBytes(3, msg(fBytes(1, 'app'))), fBytes(4, msg(fBytes(1, 'busybox'))),
      fBytes(5, 'sha256:i'), fInt(6, 1), fInt(7, 3_000_000n));
    fake.on('ListContainers', () => new RawReply(fBytes(1, c)));
    const list = await rt.runtime.listContainers({ podSandboxId: 'sb-1', state: 'running', labelSelector: { a: 'b' } });
    assert.deepEqual(list, [{ id: 'c-1', podSandboxId: 'sb-1', metadata: { name: 'app', attempt: 0 }, image: 'busybox', imageRef: 'sha256:i', state: 'running', createdAt: 3, labels: {}, annotations: {} }]);
    const raw = fake.callsOf('ListContainers')[0]?.raw;
    assert.ok(raw);
    assert.equal(at(raw, 1, 2, 1), 1n); // filter.state.state RUNNING
    assert.equal(str(at(raw, 1, 3)), 'sb-1'); // filter.pod_sandbox_id = 3
    assert.equal(str(at(raw, 1, 4, 2)), 'b'); // filter.label_selector value
  });
});
