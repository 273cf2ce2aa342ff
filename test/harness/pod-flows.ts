// The pod flows of issue 4, run the same way against both runtimes (test/e2e/pods-cri and pods-process):
// a Deployment, probes, bad images, crashes, configMap updates, kubectl logs and exec, and KubeEdge's
// pod e2e cases (create, delete, re-delete, create/delete many times, hostPath).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloudcoreSuite } from './suite.js';
import { buildTestImages } from './images.js';
import { startRegistry, trustRegistry } from './registry.js';
import { eventually } from './edgecore.js';
import { kubectl, kubectlStream } from './kubectl.js';
import {
  BUSYBOX, applyYaml, busyboxPod, containerStatus, getPod, isRunningReady, listPods, podEvents, startEdgeEnv, waitPod,
  type EdgeEnv, type Json, type RuntimeKind,
} from './pods.js';

export function podFlows(runtime: RuntimeKind): void {
  describe(`pods on an edge node (${runtime} runtime)`, { timeout: 900_000 }, () => {
    const suite = cloudcoreSuite();
    const node = `edge-pods-${runtime}`;
    let env: EdgeEnv;
    const hostDir = mkdtempSync(join(tmpdir(), 'kets-hostpath-'));
    before(async () => { env = await startEdgeEnv(suite.cc, runtime, node); });
    after(async () => { await env?.dispose(); rmSync(hostDir, { recursive: true, force: true }); });
    const k = (args: string[], input?: string): Promise<string> => suite.k(args, input);
    const wait = (name: string, what: string, check: (p: Json) => boolean, timeoutMs?: number): Promise<Json> =>
      waitPod(suite.cc, env.edge, name, what, check, timeoutMs);

    test('the node reports its runtime', async () => {
      const info = JSON.parse(await k(['get', 'node', node, '-o', 'json'])).status.nodeInfo;
      assert.match(info.containerRuntimeVersion, runtime === 'cri' ? /^containerd:\/\/1\.6/ : /^process:\/\/.*no isolation/);
    });

    test('a 3-replica Deployment reaches Running', async () => {
      await applyYaml(suite.cc, JSON.stringify({
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
        spec: {
          replicas: 3, selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { nodeName: node, terminationGracePeriodSeconds: 2,
              containers: [{ name: 'web', image: BUSYBOX, command: ['sh', '-c', 'echo started; while true; do sleep 1; done'] }] },
          },
        },
      }));
      const pods = await eventually(async () => {
        const items = await listPods(suite.cc, 'app=web');
        return items.length === 3 && items.every(isRunningReady) ? items : undefined;
      }, '3 web pods Running and ready', { timeoutMs: 120_000, describe: () => env.edge.logs().slice(-6000) });
      for (const p of pods) {
        const cs = containerStatus(p) as Json;
        assert.match(cs.containerID, runtime === 'cri' ? /^containerd:\/\// : /^process:\/\//);
        assert.ok(cs.imageID, 'imageID is reported');
        assert.equal(cs.restartCount, 0);
        assert.ok(p.status.podIP, 'pod IP');
        assert.equal(p.status.hostIP !== undefined, true);
      }
      const conditions = new Map((pods[0]!.status.conditions as Json[]).map((c) => [c.type, c.status]));
      assert.equal(conditions.get('Ready'), 'True');
      assert.equal(conditions.get('Initialized'), 'True');
      const ready = await k(['get', 'deployment', 'web', '-o', 'jsonpath={.status.readyReplicas}']);
      await eventually(async () => (await k(['get', 'deployment', 'web', '-o', 'jsonpath={.status.readyReplicas}'])) === '3' || undefined,
        `deployment readyReplicas 3 (was ${ready})`);
    });

    test('a failing liveness probe restarts the container', async () => {
      await applyYaml(suite.cc, busyboxPod('live', node, 'touch healthy; sleep 2; rm -f healthy; sleep 600', {
        container: { workingDir: runtime === 'cri' ? '/tmp' : '', livenessProbe: { exec: { command: ['cat', 'healthy'] }, periodSeconds: 1, failureThreshold: 2 } },
      }));
      const pod = await wait('live', 'restarted by liveness', (p) => (containerStatus(p)?.restartCount ?? 0) >= 1, 90_000);
      assert.equal(containerStatus(pod)?.lastState?.terminated !== undefined, true, 'lastState.terminated');
      // Events are paced onto the link behind pod statuses, so they may arrive a moment later.
      await eventually(async () => {
        const events = await podEvents(suite.cc, 'live');
        return events.some((e) => e.reason === 'Unhealthy' && /[Ll]iveness probe failed/.test(e.message)) && events.some((e) => e.reason === 'Killing') || undefined;
      }, 'Unhealthy and Killing events');
    });

    test('a bad image shows ImagePullBackOff', async () => {
      await applyYaml(suite.cc, JSON.stringify({
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'badimage', namespace: 'default' },
        spec: { nodeName: node, containers: [{ name: 'main', image: '127.0.0.1:1/kubeedge-ts/missing:1.0' }] },
      }));
      const pod = await wait('badimage', 'ImagePullBackOff', (p) => containerStatus(p)?.state?.waiting?.reason === 'ImagePullBackOff', 90_000);
      assert.equal(pod.status.phase, 'Pending');
      await eventually(async () => (await podEvents(suite.cc, 'badimage')).some((e) => e.reason === 'Failed' && e.type === 'Warning') || undefined,
        'a Failed warning event');
    });

    test('a container that crashes at once goes into CrashLoopBackOff', async () => {
      await applyYaml(suite.cc, busyboxPod('crash', node, 'echo dying; exit 3'));
      const pod = await wait('crash', 'CrashLoopBackOff', (p) => containerStatus(p)?.state?.waiting?.reason === 'CrashLoopBackOff', 90_000);
      const cs = containerStatus(pod) as Json;
      assert.ok(cs.restartCount >= 1);
      assert.equal(cs.lastState.terminated.exitCode, 3);
      const prev = await kubectl(suite.cc.kubeconfig, ['logs', 'crash', '--previous']);
      assert.equal(prev.code, 0, prev.stderr);
      assert.equal(prev.stdout, 'dying\n');
    });

    test('a volume that references a missing configmap waits, then starts when it appears', async () => {
      await applyYaml(suite.cc, busyboxPod('needscm', node, 'cat /etc/cfg/greeting; echo; sleep 600', {
        spec: { volumes: [{ name: 'cfg', configMap: { name: 'late-cm' } }] },
        container: { volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }] },
      }));
      await wait('needscm', 'waiting for the configmap', (p) => containerStatus(p)?.state?.waiting?.reason === 'ContainerCreating' || p.status?.phase === 'Pending');
      await eventually(async () => (await podEvents(suite.cc, 'needscm')).some((e) => e.reason === 'FailedMount') || undefined, 'FailedMount event');
      await k(['create', 'configmap', 'late-cm', '--from-literal=greeting=hello']);
      await wait('needscm', 'Running', isRunningReady, 90_000);
      const logs = await eventually(async () => {
        const r = await kubectl(suite.cc.kubeconfig, ['logs', 'needscm']);
        return r.code === 0 && r.stdout.includes('hello') ? r.stdout : undefined;
      }, 'logs show the configmap value');
      assert.equal(logs, 'hello\n');
    });

    test('a configMap change updates the mounted file in place', async () => {
      await k(['create', 'configmap', 'live-cm', '--from-literal=color=blue']);
      await applyYaml(suite.cc, busyboxPod('cmwatch', node, 'sleep 600', {
        spec: { volumes: [{ name: 'cfg', configMap: { name: 'live-cm' } }] },
        container: { volumeMounts: [{ name: 'cfg', mountPath: '/etc/live' }] },
      }));
      await wait('cmwatch', 'Running', isRunningReady, 90_000);
      const read = async (): Promise<string> => (await kubectl(suite.cc.kubeconfig, ['exec', 'cmwatch', '--', 'cat', '/etc/live/color'])).stdout;
      assert.equal(await read(), 'blue');
      await k(['patch', 'configmap', 'live-cm', '-p', '{"data":{"color":"green"}}']);
      await eventually(async () => (await read()) === 'green' || undefined, 'mounted file shows green', { timeoutMs: 60_000 });
    });

    test('a probe that hangs ends in Unhealthy events, not a stuck agent', async () => {
      await applyYaml(suite.cc, busyboxPod('hang', node, 'sleep 600', {
        container: { readinessProbe: { exec: { command: ['sleep', '30'] }, timeoutSeconds: 1, periodSeconds: 1 } },
      }));
      await wait('hang', 'running but not ready', (p) => p.status?.phase === 'Running' && containerStatus(p)?.ready === false, 90_000);
      await eventually(async () => (await podEvents(suite.cc, 'hang')).some((e) => e.reason === 'Unhealthy' && /[Rr]eadiness probe/.test(e.message)) || undefined,
        'Unhealthy readiness event');
      // edged keeps serving other pods meanwhile.
      await applyYaml(suite.cc, busyboxPod('afterhang', node, 'sleep 600'));
      await wait('afterhang', 'Running', isRunningReady, 60_000);
    });

    test('kubectl logs: -f, --tail, --timestamps, -c', async () => {
      await applyYaml(suite.cc, JSON.stringify({
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'talker', namespace: 'default' },
        spec: { nodeName: node, terminationGracePeriodSeconds: 1, containers: [
          { name: 'a', image: BUSYBOX, command: ['sh', '-c', 'for i in 1 2 3 4 5; do echo line$i; done; i=0; while true; do i=$((i+1)); echo tick$i; sleep 1; done'] },
          { name: 'b', image: BUSYBOX, command: ['sh', '-c', 'echo from-b; echo to-stderr >&2; sleep 600'] },
        ] },
      }));
      await wait('talker', 'Running', isRunningReady, 90_000);
      const tail = await eventually(async () => {
        const r = await kubectl(suite.cc.kubeconfig, ['logs', 'talker', '-c', 'a', '--tail', '2']);
        return r.code === 0 && r.stdout.split('\n').filter(Boolean).length === 2 ? r.stdout : undefined;
      }, 'logs --tail 2');
      assert.match(tail, /^tick\d+\n$|line\d\n/);
      const b = await kubectl(suite.cc.kubeconfig, ['logs', 'talker', '-c', 'b']);
      // stdout and stderr are separate pipes: both lines are there, in either order (as with kubelet).
      assert.deepEqual(b.stdout.split('\n').filter(Boolean).sort(), ['from-b', 'to-stderr']);
      const ts = await kubectl(suite.cc.kubeconfig, ['logs', 'talker', '-c', 'b', '--timestamps']);
      assert.ok(ts.stdout.split('\n').some((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z from-b$/.test(l)), ts.stdout);
      const noC = await kubectl(suite.cc.kubeconfig, ['logs', 'talker']);
      assert.equal(noC.code, 0, 'kubectl picks the first container');
      const follow = kubectlStream(suite.cc.kubeconfig, ['logs', '-f', 'talker', '-c', 'a', '--tail', '1']);
      try {
        await eventually(() => (follow.output().match(/tick\d+/g) ?? []).length >= 3 || undefined, 'logs -f keeps streaming', { timeoutMs: 20_000 });
      } finally { await follow.stop(); }
      const missing = await kubectl(suite.cc.kubeconfig, ['logs', 'talker', '-c', 'nope']);
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /nope/);
    });

    test('kubectl exec: a command, stdin, and an exit code', async () => {
      await applyYaml(suite.cc, busyboxPod('shell', node, 'sleep 600'));
      await wait('shell', 'Running', isRunningReady, 90_000);
      const r = await kubectl(suite.cc.kubeconfig, ['exec', 'shell', '--', 'sh', '-c', 'echo out; echo err >&2; exit 7']);
      assert.equal(r.stdout, 'out\n');
      assert.match(r.stderr, /err/);
      assert.equal(r.code, 7);
      const piped = await kubectl(suite.cc.kubeconfig, ['exec', '-i', 'shell', '--', 'sh', '-c', 'tr a-z A-Z'], { input: 'shout\n' });
      assert.equal(piped.code, 0, piped.stderr);
      assert.equal(piped.stdout, 'SHOUT\n');
    });

    test('kubectl exec -it gets a terminal', async () => {
      // `script` gives kubectl a terminal of its own, as a user's shell would.
      const out = await new Promise<string>((resolve, reject) => {
        import('node:child_process').then(({ spawn }) => {
          const cmd = `kubectl --kubeconfig ${suite.cc.kubeconfig} exec -it shell -- sh -c 'test -t 0 && echo tty-yes || echo tty-no'`;
          const child = spawn('script', ['-qec', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
          let text = '';
          child.stdout.setEncoding('utf8').on('data', (d: string) => { text += d; });
          child.stderr.setEncoding('utf8').on('data', (d: string) => { text += d; });
          const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
          child.on('close', () => { clearTimeout(timer); resolve(text); });
          child.stdin.end();
        }, reject);
      });
      assert.match(out, /tty-yes/);
    });

    // Only the CRI runtime has a socket that can vanish.
    if (runtime === 'cri') test('containerd killed mid-operation: edged stays up and the pods start once it is back', async () => {
      const containerd = env.containerd;
      assert.ok(containerd, 'a test containerd');
      const pid = env.edge.pid();
      for (let i = 0; i < 3; i++) await applyYaml(suite.cc, busyboxPod(`survivor${i}`, node, 'sleep 600', { labels: { group: 'survivor' } }));
      containerd.kill();
      await new Promise((r) => setTimeout(r, 3000));
      assert.equal(env.edge.pid(), pid, 'edgecore did not exit');
      await containerd.restart();
      await eventually(async () => {
        const pods = await listPods(suite.cc, 'group=survivor');
        return pods.length === 3 && pods.every(isRunningReady) || undefined;
      }, 'pods Running after containerd returned', { timeoutMs: 120_000, describe: () => env.edge.logs().slice(-6000) });
    });

    // Pull policies against a real registry (Debian's docker-registry on 127.0.0.1), CRI only: the process
    // runtime has no images to pull.
    if (runtime === 'cri') test('image pull policies: Always pulls from a registry, Never refuses an absent image', async () => {
      const containerd = env.containerd;
      assert.ok(containerd, 'a test containerd');
      const registry = await startRegistry();
      try {
        const image = await registry.push((await buildTestImages()).busybox.tar, 'kets/app:1.0');
        trustRegistry(containerd, registry);
        await applyYaml(suite.cc, busyboxPod('pulled', node, 'sleep 600', { container: { image, imagePullPolicy: 'Always' } }));
        const pod = await wait('pulled', 'Running from the registry', isRunningReady, 120_000);
        assert.match(String(containerStatus(pod)?.imageID), /sha256:[0-9a-f]{64}/, 'imageID names the pulled digest');
        await eventually(async () => {
          const events = await podEvents(suite.cc, 'pulled');
          return events.some((e) => e.reason === 'Pulling') && events.some((e) => e.reason === 'Pulled') || undefined;
        }, 'Pulling and Pulled events');
        await applyYaml(suite.cc, busyboxPod('never', node, 'sleep 600', { container: { image: `${registry.host}/kets/absent:1.0`, imagePullPolicy: 'Never' } }));
        await wait('never', 'ErrImageNeverPull', (p) => containerStatus(p)?.state?.waiting?.reason === 'ErrImageNeverPull', 60_000);
      } finally {
        await registry.stop();
      }
    });

    test('KubeEdge pod cases: create, delete, re-delete', async () => {
      await applyYaml(suite.cc, busyboxPod('kecase', node, 'sleep 600'));
      await wait('kecase', 'Running', isRunningReady, 90_000);
      await k(['delete', 'pod', 'kecase', '--wait=false']);
      await eventually(async () => (await getPod(suite.cc, 'kecase')) === undefined || undefined, 'pod gone after delete', { timeoutMs: 60_000 });
      const again = await kubectl(suite.cc.kubeconfig, ['delete', 'pod', 'kecase']);
      assert.notEqual(again.code, 0);
      assert.match(again.stderr, /NotFound|not found/);
    });

    test('KubeEdge pod cases: create and delete the same pod many times', async () => {
      for (let i = 0; i < 4; i++) {
        await applyYaml(suite.cc, busyboxPod('churn', node, `echo round${i}; sleep 600`));
        await wait('churn', `Running (round ${i})`, isRunningReady, 90_000);
        await k(['delete', 'pod', 'churn', '--wait=false']);
        await eventually(async () => (await getPod(suite.cc, 'churn')) === undefined || undefined, `churn deleted (round ${i})`, { timeoutMs: 60_000 });
      }
    });

    test('KubeEdge pod cases: hostPath volume', async () => {
      writeFileSync(join(hostDir, 'note.txt'), 'from-the-host');
      await applyYaml(suite.cc, busyboxPod('hostpath', node, 'cat /host/note.txt; echo; echo from-pod > /host/back.txt; sleep 600', {
        spec: { volumes: [{ name: 'h', hostPath: { path: hostDir, type: 'Directory' } }] },
        container: { volumeMounts: [{ name: 'h', mountPath: '/host' }] },
      }));
      await wait('hostpath', 'Running', isRunningReady, 90_000);
      const logs = await eventually(async () => {
        const r = await kubectl(suite.cc.kubeconfig, ['logs', 'hostpath']);
        return r.stdout.includes('from-the-host') ? r.stdout : undefined;
      }, 'pod read the host file');
      assert.equal(logs.trim(), 'from-the-host');
      const { readFileSync } = await import('node:fs');
      await eventually(() => { try { return readFileSync(join(hostDir, 'back.txt'), 'utf8') === 'from-pod\n' || undefined; } catch { return undefined; } }, 'pod wrote to the host');
    });
  });
}
