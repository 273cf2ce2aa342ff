// An in-memory ContainerRuntime for edged's pod tests: sandboxes, containers, images, with hooks to
// make containers exit, images fail to pull and the whole runtime become unavailable. Containers
// inherit CRI semantics the pod manager relies on: stop/remove are idempotent, removing a sandbox
// removes its containers, labels filter lists.
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type {
  AuthConfig, Container, ContainerConfig, ContainerFilter, ContainerRuntime, ContainerStatus, ExecRequest, ExecSession,
  Image, ImageService, PodSandbox, PodSandboxConfig, PodSandboxStatus, RuntimeService, SandboxFilter,
} from '../edge/runtime/index.js';
import { RuntimeError } from '../edge/runtime/index.js';

interface FakeSandbox { sb: PodSandboxStatus; config: PodSandboxConfig }
interface FakeContainer { c: Container; status: ContainerStatus; config: ContainerConfig }

const matches = (labels: Record<string, string>, sel?: Record<string, string>): boolean =>
  sel === undefined || Object.entries(sel).every(([k, v]) => labels[k] === v);

export class FakeContainerRuntime implements ContainerRuntime {
  readonly kind: 'cri' | 'process';
  readonly isolates: boolean;
  readonly sandboxes = new Map<string, FakeSandbox>();
  readonly containers = new Map<string, FakeContainer>();
  /** name -> image id. */
  readonly present = new Map<string, string>();
  /** Images whose pull fails with this message. */
  readonly pullErrors = new Map<string, string>();
  /** Every call, as "method arg". */
  readonly calls: string[] = [];
  unavailable = false;
  /** Called after a container starts (tests make it exit here). */
  onStart: ((c: ContainerStatus) => void) | undefined;
  /** Exit code of a container stopped by stopContainer. */
  stopExitCode = 143;
  #seq = 0;
  readonly #now: () => number;

  constructor(opts: { kind?: 'cri' | 'process'; now?: () => number } = {}) {
    this.kind = opts.kind ?? 'cri';
    this.isolates = this.kind === 'cri';
    this.#now = opts.now ?? Date.now;
  }

  readonly runtime: RuntimeService = {
    version: async () => { this.#call('version'); return { version: '0.1.0', runtimeName: 'fake', runtimeVersion: '1', runtimeApiVersion: 'v1' }; },
    status: async () => { this.#call('status'); return [{ type: 'RuntimeReady', status: true, reason: '', message: '' }]; },
    runPodSandbox: async (config) => {
      this.#call('runPodSandbox', config.metadata.name);
      const id = this.#id('sb');
      const sb: PodSandboxStatus = {
        id, metadata: config.metadata, state: 'ready', createdAt: this.#tick(), labels: config.labels, annotations: config.annotations,
        network: { ip: config.linux.hostNetwork ? '' : `10.88.0.${this.#seq}`, additionalIps: [] }, hostNetwork: config.linux.hostNetwork,
      };
      this.sandboxes.set(id, { sb, config });
      return id;
    },
    stopPodSandbox: async (id) => {
      this.#call('stopPodSandbox', id);
      const s = this.sandboxes.get(id);
      if (s === undefined) return;
      s.sb.state = 'notready';
      for (const c of this.containers.values()) if (c.c.podSandboxId === id && c.status.state === 'running') this.exit(c.c.id, 137);
    },
    removePodSandbox: async (id) => {
      this.#call('removePodSandbox', id);
      for (const c of [...this.containers.values()]) if (c.c.podSandboxId === id) this.containers.delete(c.c.id);
      this.sandboxes.delete(id);
    },
    podSandboxStatus: async (id) => {
      this.#call('podSandboxStatus', id);
      const s = this.sandboxes.get(id);
      if (s === undefined) throw new RuntimeError('NotFound', `sandbox ${id} not found`);
      return structuredClone(s.sb);
    },
    listPodSandbox: async (filter?: SandboxFilter): Promise<PodSandbox[]> => {
      this.#call('listPodSandbox');
      return [...this.sandboxes.values()]
        .filter((s) => matches(s.sb.labels, filter?.labelSelector) && (filter?.state === undefined || s.sb.state === filter.state))
        .map((s) => { const { network: _n, hostNetwork: _h, ...rest } = structuredClone(s.sb); return rest; });
    },
    createContainer: async (sandboxId, config) => {
      this.#call('createContainer', config.metadata.name);
      const sb = this.sandboxes.get(sandboxId);
      if (sb === undefined) throw new RuntimeError('NotFound', `sandbox ${sandboxId} not found`);
      const id = this.#id('c');
      const at = this.#tick();
      const c: Container = { id, podSandboxId: sandboxId, metadata: config.metadata, image: config.image, imageRef: config.image, state: 'created', createdAt: at, labels: config.labels, annotations: config.annotations };
      const status: ContainerStatus = {
        id, metadata: config.metadata, state: 'created', createdAt: at, startedAt: 0, finishedAt: 0, exitCode: 0, image: config.image, imageRef: config.image,
        reason: '', message: '', labels: config.labels, annotations: config.annotations, logPath: path.join(sb.config.logDirectory, config.logPath),
      };
      this.containers.set(id, { c, status, config });
      return id;
    },
    startContainer: async (id) => {
      this.#call('startContainer', id);
      const c = this.#get(id);
      c.c.state = c.status.state = 'running';
      c.status.startedAt = this.#tick();
      this.onStart?.(structuredClone(c.status));
    },
    stopContainer: async (id, timeout) => {
      this.#call('stopContainer', `${id} ${timeout}`);
      const c = this.containers.get(id);
      if (c !== undefined && c.status.state !== 'exited') this.exit(id, this.stopExitCode);
    },
    removeContainer: async (id) => { this.#call('removeContainer', id); this.containers.delete(id); },
    listContainers: async (filter?: ContainerFilter): Promise<Container[]> => {
      this.#call('listContainers');
      return [...this.containers.values()]
        .filter((c) => matches(c.c.labels, filter?.labelSelector) && (filter?.state === undefined || c.c.state === filter.state))
        .filter((c) => filter?.podSandboxId === undefined || c.c.podSandboxId === filter.podSandboxId)
        .map((c) => structuredClone(c.c));
    },
    containerStatus: async (id) => { this.#call('containerStatus', id); return structuredClone(this.#get(id).status); },
    execSync: async (id) => { this.#call('execSync', id); this.#get(id); return { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exitCode: 0 }; },
    exec: async (req: ExecRequest): Promise<ExecSession> => {
      this.#call('exec', req.containerId);
      return { stdin: null, stdout: new PassThrough(), stderr: null, resize: () => undefined, done: Promise.resolve({ exitCode: 0 }), close: () => undefined };
    },
    containerStats: async (id) => { this.#call('containerStats', id); return { id, timestamp: this.#now() }; },
  };

  readonly images: ImageService = {
    imageStatus: async (image): Promise<Image | undefined> => {
      this.#call('imageStatus', image);
      const id = this.present.get(image);
      return id === undefined ? undefined : { id, repoTags: [image], repoDigests: [], size: 1 };
    },
    pullImage: async (image: string, _auth?: AuthConfig) => {
      this.#call('pullImage', image);
      const err = this.pullErrors.get(image);
      if (err !== undefined) throw new RuntimeError('NotFound', err);
      const id = `sha256:${Buffer.from(image).toString('hex').slice(0, 16)}`;
      this.present.set(image, id);
      return id;
    },
    listImages: async () => [...this.present].map(([name, id]) => ({ id, repoTags: [name], repoDigests: [], size: 1 })),
    removeImage: async (image) => { this.present.delete(image); },
  };

  async close(): Promise<void> {}

  /** Makes a container exit now (unknown ids are ignored: the test's timer may fire after removal). */
  exit(id: string, exitCode: number, reason = exitCode === 0 ? 'Completed' : 'Error'): void {
    const c = this.containers.get(id);
    if (c === undefined || c.status.state === 'exited') return;
    c.c.state = c.status.state = 'exited';
    c.status.exitCode = exitCode;
    c.status.reason = reason;
    c.status.finishedAt = this.#tick();
  }

  /** Simulates a reboot: every container exited (137), every sandbox not ready. */
  reboot(): void {
    for (const c of this.containers.values()) if (c.status.state !== 'exited') this.exit(c.c.id, 255, 'Unknown');
    for (const s of this.sandboxes.values()) s.sb.state = 'notready';
  }

  /** Instances of a container of a pod, oldest first. */
  instances(podUid: string, name: string): ContainerStatus[] {
    return [...this.containers.values()]
      .filter((c) => c.c.labels['io.kubernetes.pod.uid'] === podUid && c.c.labels['io.kubernetes.container.name'] === name)
      .map((c) => c.status)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  count(method: string): number {
    return this.calls.filter((c) => c === method || c.startsWith(`${method} `)).length;
  }

  #tick(): number {
    // Strictly increasing times so newest-first ordering is well defined within one millisecond.
    this.#last = Math.max(this.#now(), this.#last + 1);
    return this.#last;
  }
  #last = 0;

  #id(prefix: string): string {
    this.#seq++;
    return `${prefix}${this.#seq}`;
  }

  #get(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (c === undefined) throw new RuntimeError('NotFound', `container ${id} not found`);
    return c;
  }

  #call(method: string, arg?: string): void {
    if (this.unavailable) throw new RuntimeError('Unavailable', 'connection refused: runtime socket gone');
    this.calls.push(arg === undefined ? method : `${method} ${arg}`);
  }
}
