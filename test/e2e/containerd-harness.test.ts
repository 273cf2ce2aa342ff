// The real-container test harness works here: containerd starts on its own socket, the locally built
// images import under the names the CRI plugin uses, both run, and stop() leaves nothing behind.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { credentials, loadPackageDefinition, type Client } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { after, before, describe, it } from 'node:test';
import { startContainerd, type Containerd } from '../harness/containerd.js';
import { mountsUnder, shimsOf } from '../harness/containerd-cleanup.js';
import { buildTestImages, importImages, type TestImages } from '../harness/images.js';
import { freePort } from '../harness/ports.js';
import { startRegistry, trustRegistry } from '../harness/registry.js';
import { repoRoot } from '../harness/repo.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** A bare CRI client on the repository's runtime.v1 proto: enough to prove the CRI plugin and CNI work. */
function criClient(endpoint: string, service: 'RuntimeService' | 'ImageService' = 'RuntimeService'): { call: (method: string, req: object) => Promise<Record<string, any>>; close: () => void } {
  const def = loadSync(join(repoRoot(), 'src/edge/runtime/cri/api.proto'), { longs: String, enums: String, defaults: true });
  const pkg = loadPackageDefinition(def) as unknown as { runtime: { v1: Record<typeof service, new (a: string, c: unknown) => Client> } };
  const rt = new pkg.runtime.v1[service](endpoint, credentials.createInsecure()) as unknown as Record<string, Function> & Client;
  return {
    call: (method, req) => new Promise((res, rej) => rt[method]!.call(rt, req, (e: Error | null, r: Record<string, any>) => (e ? rej(e) : res(r)))),
    close: () => rt.close(),
  };
}

function httpGet(url: string): Promise<string> {
  return new Promise((res, rej) => {
    const req = get(url, (r) => { let body = ''; r.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => res(body)); });
    req.setTimeout(5_000, () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', rej);
  });
}

describe('containerd harness', () => {
  let ctd: Containerd;
  let images: TestImages;

  before(async () => {
    [ctd, images] = await Promise.all([startContainerd(), buildTestImages()]);
    await importImages(ctd, images);
  });
  after(async () => { await ctd?.stop(); });

  it('serves on its own socket with the CRI plugin and the chosen snapshotter', async () => {
    assert.equal(ctd.endpoint, `unix://${ctd.socket}`);
    assert.ok(ctd.socket.startsWith(ctd.dir));
    const plugins = await ctd.ctr(['plugins', 'ls']);
    assert.match(plugins, /io\.containerd\.grpc\.v1\s+cri\s+\S+\s+ok/);
    assert.match(plugins, new RegExp(`io\\.containerd\\.snapshotter\\.v1\\s+${ctd.snapshotter}\\s+\\S+\\s+ok`));
  });

  it('lists both images under their full names in k8s.io', async () => {
    const names = (await ctd.ctr(['images', 'ls', '-q'])).split('\n');
    assert.ok(names.includes(images.pause.name), names.join(','));
    assert.ok(names.includes(images.busybox.name), names.join(','));
  });

  it('runs busybox: sh -c echo hello', async () => {
    const out = await ctd.ctr(['run', ...ctd.ctrRunFlags, '--rm', images.busybox.name, 't1', 'sh', '-c', 'echo hello; ls /bin/wget']);
    assert.equal(out.replace(/\r/g, ''), 'hello\n/bin/wget\n');
  });

  it('runs pause, which exits 0 on SIGTERM', async () => {
    // ctr run in the foreground exits with the task's exit status
    const fg = spawn('ctr', ['--address', ctd.socket, '-n', 'k8s.io', 'run', ...ctd.ctrRunFlags, '--rm', images.pause.name, 'p1'], { stdio: 'ignore' });
    const code = new Promise<number | null>((r) => fg.once('exit', (c) => r(c)));
    await until('pause running', async () => ((await ctd.ctr(['tasks', 'ls'])).match(/^p1\s+\d+\s+RUNNING/m) ? true : undefined));
    assert.equal(shimsOf(ctd.socket).length, 1);
    await ctd.ctr(['tasks', 'kill', '--signal', 'SIGTERM', 'p1']);
    assert.equal(await code, 0);
    await until('p1 removed', async () => ((await ctd.ctr(['containers', 'ls', '-q'])).includes('p1') ? undefined : true));
  });

  it('survives kill() + restart(): the shim of a running container is re-attached', async () => {
    await ctd.ctr(['run', ...ctd.ctrRunFlags, '--detach', images.pause.name, 'p2']);
    await until('p2 running', async () => ((await ctd.ctr(['tasks', 'ls'])).match(/^p2\s+\d+\s+RUNNING/m) ? true : undefined));
    const before = ctd.pid;
    ctd.kill();
    await until('socket gone', async () => {
      try { await ctd.ctr(['version'], { timeoutMs: 2_000 }); return undefined; } catch { return true; }
    });
    assert.equal(shimsOf(ctd.socket).length, 1, 'the shim outlives containerd');
    await ctd.restart();
    assert.notEqual(ctd.pid, before);
    assert.match(await ctd.ctr(['tasks', 'ls']), /^p2\s+\d+\s+RUNNING/m);
  });

  it('runs a CRI pod on the CNI bridge with a working hostPort', async () => {
    const cri = criClient(ctd.endpoint);
    try {
      const hostPort = await freePort();
      const sandboxConfig = {
        metadata: { name: 'web', uid: 'uid-web', namespace: 'default', attempt: 0 }, hostname: 'web',
        logDirectory: join(ctd.dir, 'pod-logs'), portMappings: [{ protocol: 'TCP', containerPort: 8080, hostPort }],
      };
      const { podSandboxId } = await cri.call('runPodSandbox', { config: sandboxConfig });
      const { status } = await cri.call('podSandboxStatus', { podSandboxId });
      assert.equal(status.state, 'SANDBOX_READY');
      const podIp = String(status.network.ip);
      assert.ok(podIp.startsWith(ctd.network.cidr.replace(/0\/24$/, '')), `${podIp} in ${ctd.network.cidr}`);
      const { containerId } = await cri.call('createContainer', {
        podSandboxId, sandboxConfig, config: {
          metadata: { name: 'httpd', attempt: 0 }, image: { image: images.busybox.name }, logPath: 'httpd.log',
          command: ['sh', '-c', 'echo hi-from-pod > /tmp/index.html && exec httpd -f -p 8080 -h /tmp'],
        },
      });
      await cri.call('startContainer', { containerId });
      const body = await until('hostPort answers', async () => httpGet(`http://127.0.0.1:${hostPort}/index.html`).catch(() => undefined));
      assert.equal(body, 'hi-from-pod\n');
      assert.equal(await httpGet(`http://${podIp}:8080/index.html`), 'hi-from-pod\n');
    } finally {
      cri.close();
    }
  });

  it('pulls through the CRI plugin from a local registry over plain http', async () => {
    const registry = await startRegistry();
    const cri = criClient(ctd.endpoint, 'ImageService');
    try {
      const ref = await registry.push(images.busybox.tar, 'pulled/busybox:1.36');
      trustRegistry(ctd, registry);
      const { imageRef } = await cri.call('pullImage', { image: { image: ref } });
      assert.match(String(imageRef), /^sha256:[0-9a-f]{64}$/);
      assert.ok((await ctd.ctr(['images', 'ls', '-q'])).split('\n').includes(ref));
      const out = await ctd.ctr(['run', ...ctd.ctrRunFlags, '--rm', ref, 'pulled1', 'echo', 'pulled-ok']);
      assert.equal(out.trim(), 'pulled-ok');
    } finally {
      cri.close();
      await registry.stop();
    }
  });

  it('stop() removes shims, containers, mounts, the bridge and the dir, and is safe twice', async () => {
    const { dir, socket, network } = ctd;
    await ctd.ctr(['run', ...ctd.ctrRunFlags, '--detach', images.busybox.name, 'b1', 'sleep', '1000']);
    await until('b1 running', async () => ((await ctd.ctr(['tasks', 'ls'])).match(/^b1\s+\d+\s+RUNNING/m) ? true : undefined));
    assert.ok(shimsOf(socket).length >= 1);
    assert.ok(mountsUnder(dir).length >= 1, 'a running container has its rootfs mounted under dir');
    await ctd.stop();
    await ctd.stop();
    assert.deepEqual(shimsOf(socket), []);
    assert.deepEqual(mountsUnder(dir), []);
    assert.equal(existsSync(dir), false);
    assert.equal(existsSync(`/sys/class/net/${network.bridge}`), false);
    assert.doesNotMatch(readFileSync('/proc/self/mountinfo', 'utf8'), new RegExp(dir));
    assert.doesNotMatch(execFileSync('iptables-save', ['-t', 'nat'], { encoding: 'utf8' }), new RegExp(network.name));
  });
});
