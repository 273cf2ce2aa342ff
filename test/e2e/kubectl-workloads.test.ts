// Nodes, pods, Deployments, DaemonSets and StatefulSets through kubectl: scheduling, scale, rolling
// update with rollout status, get -w, wait, and garbage collection. Two hollow nodes play the kubelets.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCloudcore, type CloudcoreProcess } from '../harness/cloudcore.js';
import { HollowNode } from '../harness/hollow-node.js';
import { kubectl, kubectlOk, kubectlStream } from '../harness/kubectl.js';

const deployment = (image: string, replicas: number) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default, labels: { app: web } }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: web } }
  strategy: { type: RollingUpdate, rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: web
        image: ${image}
        ports: [{ containerPort: 80 }]
        resources: { requests: { cpu: 100m, memory: 64Mi } }
`;

async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('kubectl workloads against the embedded control plane', () => {
  let cc: CloudcoreProcess;
  let nodes: HollowNode[] = [];
  let k: (args: string[], input?: string) => Promise<string>;
  before(async () => {
    cc = await startCloudcore();
    k = (args, input) => kubectlOk(cc.kubeconfig, args, input === undefined ? {} : { input, timeoutMs: 120_000 });
    nodes = ['node-a', 'node-b'].map((name) => new HollowNode({ kubeconfig: cc.kubeconfig, url: cc.url, name, labels: { 'node-role.kubernetes.io/edge': '' } }));
    await Promise.all(nodes.map((n) => n.start()));
  });
  after(async () => { for (const n of nodes) n.stop(); await cc?.dispose(); });

  test('nodes show Ready with roles and wide columns', async () => {
    await k(['wait', '--for=condition=Ready', 'node/node-a', 'node/node-b', '--timeout=30s']);
    const table = await k(['get', 'nodes', '-o', 'wide']);
    assert.match(table, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME/);
    assert.match(table, /node-a\s+Ready\s+edge\s+\S+\s+v1\.31\.0\s+127\.0\.0\.1/);
    await k(['label', 'node', 'node-b', 'disk=ssd']);
    assert.equal(await k(['get', 'nodes', '-l', 'disk=ssd', '-o', 'jsonpath={.items[*].metadata.name}']), 'node-b');
  });

  test('a pod is scheduled by nodeSelector, runs, and is listed by field selector', async () => {
    await k(['run', 'solo', '--image=busybox', '--overrides={"spec":{"nodeSelector":{"disk":"ssd"}}}', '--', 'sleep', '3600']);
    await k(['wait', '--for=condition=Ready', 'pod/solo', '--timeout=30s']);
    assert.equal(await k(['get', 'pod', 'solo', '-o', 'jsonpath={.spec.nodeName}']), 'node-b');
    assert.match(await k(['get', 'pods', '--field-selector', 'spec.nodeName=node-b']), /solo\s+1\/1\s+Running\s+0\s+/);
    assert.match(await k(['get', 'pods', '--field-selector', 'status.phase=Running', '-o', 'name']), /pod\/solo/);
    const wide = await k(['get', 'pod', 'solo', '-o', 'wide']);
    assert.match(wide, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES/);
    assert.match(await k(['describe', 'pod', 'solo']), /Successfully assigned default\/solo to node-b/);
  });

  test('get -w shows a new pod appear and change', async () => {
    const watch = kubectlStream(cc.kubeconfig, ['get', 'pods', '-w', '--output-watch-events']);
    await new Promise((r) => setTimeout(r, 1500));
    await k(['run', 'watched', '--image=busybox', '--', 'sleep', '3600']);
    await until('the watch to show the pod Running', async () => /MODIFIED\s+watched\s+1\/1\s+Running/.test(watch.output()));
    await watch.stop();
    assert.match(watch.output(), /ADDED\s+watched/);
  });

  test('a deployment rolls out, scales, and rolls a new image with rollout status', async () => {
    assert.match(await k(['apply', '-f', '-'], deployment('nginx:1.25', 3)), /deployment.apps\/web created/);
    await k(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    assert.match(await k(['get', 'deploy', 'web']), /web\s+3\/3\s+3\s+3\s+/);
    assert.equal((await k(['get', 'pods', '-l', 'app=web', '-o', 'name'])).trim().split('\n').length, 3);
    await k(['scale', 'deployment/web', '--replicas=5']);
    await k(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    assert.equal(await k(['get', 'deploy', 'web', '-o', 'jsonpath={.status.readyReplicas}']), '5');
    await k(['apply', '-f', '-'], deployment('nginx:1.27', 5));
    await k(['rollout', 'status', 'deployment/web', '--timeout=90s']);
    const images = await k(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.spec.containers[0].image}{"\\n"}{end}']);
    await until('old pods to be gone', async () => {
      const now = await k(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.spec.containers[0].image}{"\\n"}{end}']);
      return now.trim().split('\n').every((i) => i === 'nginx:1.27');
    });
    assert.ok(images.includes('nginx:1.27'));
    const rs = await k(['get', 'rs', '-l', 'app=web']);
    assert.match(rs, /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE/);
    assert.equal(await k(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}']), '2');
  });

  test('a daemonset puts one pod on each node', async () => {
    await k(['apply', '-f', '-'], `
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent, namespace: default }
spec:
  selector: { matchLabels: { app: agent } }
  template:
    metadata: { labels: { app: agent } }
    spec: { containers: [{ name: agent, image: busybox }] }
`);
    await k(['rollout', 'status', 'daemonset/agent', '--timeout=60s']);
    const where = (await k(['get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={.items[*].spec.nodeName}'])).split(' ').sort();
    assert.deepEqual(where, ['node-a', 'node-b']);
    assert.match(await k(['get', 'ds', 'agent']), /agent\s+2\s+2\s+2\s+2\s+2\s+/);
  });

  test('a statefulset creates ordered, stable names', async () => {
    await k(['apply', '-f', '-'], `
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: default }
spec:
  serviceName: db
  replicas: 3
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: db, image: busybox }] }
`);
    await k(['rollout', 'status', 'statefulset/db', '--timeout=60s']);
    const names = (await k(['get', 'pods', '-l', 'app=db', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ').sort();
    assert.deepEqual(names, ['db-0', 'db-1', 'db-2']);
  });

  test('deleting a deployment removes its replicasets and pods; wait --for=delete returns', async () => {
    await k(['delete', 'deployment', 'web', '--wait=true', '--timeout=60s']);
    await until('web pods to be garbage collected', async () => (await k(['get', 'pods', '-l', 'app=web', '-o', 'name'])).trim() === '');
    assert.equal((await k(['get', 'rs', '-l', 'app=web', '-o', 'name'])).trim(), '');
    await k(['delete', 'pod', 'solo', '--wait=false']);
    await k(['wait', '--for=delete', 'pod/solo', '--timeout=30s']);
    const gone = await kubectl(cc.kubeconfig, ['get', 'pod', 'solo']);
    assert.match(gone.stderr, /not found/);
  });
});
