// A hollow node for control-plane e2e tests (like kubemark's hollow kubelet): it registers a Node,
// keeps its Ready condition and Lease fresh, reports bound pods Running and Ready, and confirms graceful
// deletions. It speaks only the public API, so it exercises what a real kubelet or edgecore would.
import { apiRequest } from './api.js';

export interface HollowNodeOptions { kubeconfig: string; url: string; name: string; labels?: Record<string, string>; cpu?: string; memory?: string; pods?: string; intervalMs?: number }

export class HollowNode {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  constructor(private readonly o: HollowNodeOptions) {}

  async start(): Promise<void> {
    const node = {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name: this.o.name, labels: { 'kubernetes.io/hostname': this.o.name, 'kubernetes.io/os': 'linux', ...this.o.labels } },
      spec: {},
    };
    const res = await this.req('POST', '/api/v1/nodes', node);
    if (res.status !== 201 && res.status !== 409) throw new Error(`register node ${this.o.name}: ${res.status} ${res.text}`);
    await this.heartbeat();
    this.timer = setInterval(() => { void this.tick(); }, this.o.intervalMs ?? 500);
  }

  stop(): void { if (this.timer) clearInterval(this.timer); this.timer = undefined; }

  private req(method: string, path: string, body?: unknown, contentType?: string) {
    return apiRequest(this.o.kubeconfig, this.o.url, method, path, body === undefined ? {} : { body: JSON.stringify(body), ...(contentType ? { contentType } : {}) });
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try { await this.heartbeat(); await this.syncPods(); } catch { /* the server may be restarting; try again next tick */ } finally { this.busy = false; }
  }

  private async heartbeat(): Promise<void> {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const status = {
      status: {
        capacity: { cpu: this.o.cpu ?? '4', memory: this.o.memory ?? '8Gi', pods: this.o.pods ?? '110' },
        allocatable: { cpu: this.o.cpu ?? '4', memory: this.o.memory ?? '8Gi', pods: this.o.pods ?? '110' },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'hollow node is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }],
        addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: this.o.name }],
        nodeInfo: { kubeletVersion: 'v1.31.0', osImage: 'hollow', kernelVersion: 'hollow', containerRuntimeVersion: 'hollow://1.0', operatingSystem: 'linux', architecture: 'amd64' },
      },
    };
    await this.req('PATCH', `/api/v1/nodes/${this.o.name}/status`, status, 'application/strategic-merge-patch+json');
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.o.name, namespace: 'kube-node-lease' }, spec: { holderIdentity: this.o.name, leaseDurationSeconds: 40, renewTime: new Date().toISOString().replace('Z', '000Z') } };
    const put = await this.req('PUT', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${this.o.name}`, lease);
    if (put.status === 404) await this.req('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', lease);
  }

  private async syncPods(): Promise<void> {
    const list = await this.req('GET', `/api/v1/pods?fieldSelector=spec.nodeName%3D${this.o.name}`);
    if (list.status !== 200) return;
    const pods = list.json<{ items: any[] }>().items;
    for (const pod of pods) {
      const { namespace, name } = pod.metadata;
      if (pod.metadata.deletionTimestamp) {
        await this.req('DELETE', `/api/v1/namespaces/${namespace}/pods/${name}`, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
        continue;
      }
      if (pod.status?.phase === 'Running') continue;
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const containers = (pod.spec.containers as any[]).map((c) => ({
        name: c.name, image: c.image, imageID: `hollow://${c.image}`, containerID: `hollow://${name}-${c.name}`,
        ready: true, started: true, restartCount: 0, state: { running: { startedAt: now } },
      }));
      const status = {
        status: {
          phase: 'Running', podIP: '10.88.0.10', podIPs: [{ ip: '10.88.0.10' }], hostIP: '127.0.0.1', startTime: now,
          conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: now })),
          containerStatuses: containers,
        },
      };
      await this.req('PATCH', `/api/v1/namespaces/${namespace}/pods/${name}/status`, status, 'application/strategic-merge-patch+json');
    }
  }
}
