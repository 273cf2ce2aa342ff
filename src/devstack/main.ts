// `npm start`: the whole system on one machine from a bare checkout. Starts cloudcore (with the embedded
// control plane) and one local edge node as child processes, keeps state under .kubeedge/, prints what to
// try, and stops everything on Ctrl-C. The edge runs the embedded MQTT broker and a virtual device: the
// virtual mapper (bin/mapper-virtual) drives deploy/examples/virtual-thermometer.yaml.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { preferPort } from './ports.js';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const stateDir = join(root, '.kubeedge');

interface Child { name: string; proc: ChildProcess }

function launch(name: string, bin: string, args: string[]): Child {
  // Own process group: Ctrl-C reaches only this supervisor, which sends each child one SIGTERM. A child
  // that saw both the terminal's SIGINT and our SIGTERM would take the second as "stop now" and leave
  // the process runtime's containers behind.
  const proc = spawn(process.execPath, [join(root, 'bin', bin), ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const prefix = (chunk: Buffer): string => chunk.toString('utf8').split('\n').filter(Boolean).map((l) => `[${name}] ${l}\n`).join('');
  proc.stdout?.on('data', (c: Buffer) => process.stdout.write(prefix(c)));
  proc.stderr?.on('data', (c: Buffer) => process.stderr.write(prefix(c)));
  return { name, proc };
}

async function waitFor(path: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (child.proc.exitCode !== null) throw new Error(`${child.name} exited with status ${child.proc.exitCode}`);
    if (Date.now() > deadline) throw new Error(`${child.name} did not write ${path} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main(): Promise<void> {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const cloudDir = join(stateDir, 'cloud');
  const apiPort = await preferPort(6443);
  const ports = {
    cloudhub: await preferPort(10000), cert: await preferPort(10002), stream: await preferPort(10003),
    tunnel: await preferPort(10004), metrics: await preferPort(9091), metaserver: await preferPort(10550),
    mqtt: await preferPort(1884),
  };
  const children: Child[] = [];
  let stopping = false;
  const stop = (code: number): void => {
    stopping = true;
    for (const c of children) c.proc.kill('SIGTERM');
    let left = children.filter((c) => c.proc.exitCode === null).length;
    if (left === 0) process.exit(code);
    for (const c of children) c.proc.once('exit', () => { if (--left === 0) process.exit(code); });
    setTimeout(() => process.exit(code), 10_000).unref();
  };
  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));

  // cloudcore writes this marker once it serves; a stale one from an earlier run must not count.
  const ready = join(cloudDir, 'controlplane.url');
  rmSync(ready, { force: true });
  const cloud = launch('cloudcore', 'cloudcore', [
    '--data-dir', cloudDir, '--apiserver-port', String(apiPort), '--cloudhub-port', String(ports.cloudhub),
    '--cert-port', String(ports.cert), '--stream-port', String(ports.stream), '--tunnel-port', String(ports.tunnel),
    '--metrics-port', String(ports.metrics),
  ]);
  children.push(cloud);
  cloud.proc.once('exit', (code) => {
    if (stopping) return;
    console.error(`cloudcore exited unexpectedly with status ${code}`);
    stop(1);
  });
  await waitFor(ready, cloud, 120_000);
  const kubeconfig = join(stateDir, 'admin.kubeconfig');
  copyFileSync(join(cloudDir, 'admin.kubeconfig'), kubeconfig);

  // One local edge node, joined with the current token like any other (keadm gettoken → edgecore).
  const token = await tokenWhenReady(kubeconfig, cloud);
  const edge = launch('edgecore', 'edgecore', [
    '--data-dir', join(stateDir, 'edge'), '--node-name', EDGE_NODE, '--cloudhub', `127.0.0.1:${ports.cloudhub}`,
    '--cert-port', String(ports.cert), '--tunnel-port', String(ports.tunnel), '--token', token,
    '--metaserver-port', String(ports.metaserver), '--mqtt-mode', 'internal', '--mqtt-internal-port', String(ports.mqtt),
  ]);
  children.push(edge);
  edge.proc.once('exit', (code) => {
    if (stopping) return;
    console.error(`edgecore exited unexpectedly with status ${code}`);
    stop(1);
  });
  children.push(startVirtualDevice(kubeconfig));
  process.stdout.write([
    '',
    `KubeEdge-TS is up. Control plane: https://127.0.0.1:${apiPort}`,
    `  export KUBECONFIG=${kubeconfig}`,
    `  kubectl get nodes            # ${EDGE_NODE} joins as an edge node and turns Ready within seconds`,
    `  kubectl get objectsyncs      # what the edge has acked (reliablesyncs.kubeedge.io)`,
    `  kubectl create deployment hello --image=busybox -- sh -c 'while true; do date; sleep 5; done'`,
    `  kubectl get pods -o wide     # Running on ${EDGE_NODE} (containerd when its socket exists, else host processes)`,
    '  kubectl logs -f deploy/hello; kubectl exec -it deploy/hello -- sh',
    `  kubectl --server http://127.0.0.1:${ports.metaserver} get pods -w   # the edge's local API (metaserver), works offline`,
    '  kubectl get devices,devicestatuses   # the virtual thermometer, driven by bin/mapper-virtual',
    '  kubectl get devicestatus thermometer -o yaml   # reported temperature and fan-speed, state, lastOnlineTime',
    `  kubectl patch device thermometer --type json -p '[{"op":"replace","path":"/spec/properties/1/desired/value","value":"80"}]'`,
    `  mosquitto_sub -p ${ports.mqtt} -v -t '$hw/events/device/#'   # twin deltas and results on the edge's broker`,
    '  kubectl get crds | grep kubeedge',
    'Ctrl-C stops everything; state stays in .kubeedge/ (delete it for a fresh start).',
    '',
  ].join('\n'));
}

const EDGE_NODE = 'edge-node-1';

/**
 * The virtual mapper (it registers with edgecore's DMI socket once edgecore serves it) and the example
 * device, applied with kubectl in the background (the API may still be settling).
 */
function startVirtualDevice(kubeconfig: string): Child {
  const dir = join(stateDir, 'mappers');
  mkdirSync(dir, { recursive: true });
  const cfg = join(dir, 'virtual.yaml');
  writeFileSync(cfg, [
    'grpc_server:', `  socket_path: ${join(dir, 'virtual.sock')}`,
    'common:', '  name: virtual-mapper', '  version: v1.0.0', '  api_version: v1.0.0', '  protocol: virtual',
    `  edgecore_sock: ${join(stateDir, 'edge', 'dmi.sock')}`, '',
  ].join('\n'));
  const mapper = launch('mapper', 'mapper-virtual', ['--config', cfg]);
  void applyExample(kubeconfig);
  return mapper;
}

async function applyExample(kubeconfig: string): Promise<void> {
  const file = join(root, 'deploy', 'examples', 'virtual-thermometer.yaml');
  for (let attempt = 0; attempt < 30; attempt++) {
    try {
      await execFileP('kubectl', ['--kubeconfig', kubeconfig, 'apply', '-f', file]);
      return;
    } catch (err) {
      if (attempt === 29) console.error(`could not apply ${file}: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
const execFileP = promisify(execFile);

/** The join token; the certificate service may start a moment after the API answers. */
async function tokenWhenReady(kubeconfig: string, cloud: Child): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const { stdout } = await execFileP(process.execPath, [join(root, 'bin/keadm'), 'gettoken', '--kubeconfig', kubeconfig]);
      if (stdout.trim()) return stdout.trim();
    } catch (err) {
      if (cloud.proc.exitCode !== null || Date.now() > deadline) throw new Error(`no join token: ${(err as Error).message}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

main().catch((err: unknown) => {
  console.error(`npm start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
