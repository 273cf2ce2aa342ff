// An in-memory RuntimeService for edged's tests (prober, pod status, pod worker): sandboxes and
// containers live in maps, execSync answers from a script, and every call is recorded. No processes.
import { PassThrough } from 'node:stream';
import {
  RuntimeError,
  type Container,
  type ContainerConfig,
  type ContainerFilter,
  type ContainerStats,
  type ContainerStatus,
  type ExecRequest,
  type ExecSession,
  type ExecSyncResult,
  type PodSandbox,
  type PodSandboxConfig,
  type PodSandboxStatus,
  type RuntimeCondition,
  type RuntimeService,
  type RuntimeVersion,
  type SandboxFilter,
} from '../edge/runtime/index.js';

/** What a scripted execSync returns: a result, or a promise (which may never settle: a hanging command). */
export type ExecScript = (containerId: string, cmd: string[], timeoutSeconds: number) => ExecSyncResult | Promise<ExecSyncResult>;

export interface FakeContainer {
  status: ContainerStatus;
  podSandboxId: string;
  config?: ContainerConfig;
}

export interface FakeRuntimeOptions {
  now?: () => number;
  /** IP given to sandboxes that are not host-network; default '10.88.0.<n>'. */
  podIP?: (n: number) => string;
  /**
   * When true (default), execSync rejects with RuntimeError('DeadlineExceeded') once timeoutSeconds
   * pass, as containerd does; false lets a hanging script hang forever (a runtime that ignores deadlines).
   */
  enforceExecTimeout?: boolean;
}

export interface RecordedCall { method: string; args: unknown[] }

export class FakeRuntimeService implements RuntimeService {
  readonly sandboxes = new Map<string, { status: PodSandboxStatus; config: PodSandboxConfig }>();
  readonly containers = new Map<string, FakeContainer>();
  readonly calls: RecordedCall[] = [];
  /** Replace to script execSync; default: exit 0 with empty output. */
  execScript: ExecScript = () => ({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exitCode: 0 });
  /** Set to make one method reject on its next calls (method name -> error). */
  readonly failures = new Map<string, Error>();
  private seq = 0;
  private readonly now: () => number;
  private readonly podIP: (n: number) => string;
  private readonly enforceExecTimeout: boolean;

  constructor(opts: FakeRuntimeOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.podIP = opts.podIP ?? ((n) => `10.88.0.${n}`);
    this.enforceExecTimeout = opts.enforceExecTimeout ?? true;
  }

  /** Scripts execSync by the command's first word (others fall back to exit 0). */
  scriptExec(results: Record<string, Partial<ExecSyncResult> | 'hang'>): void {
    this.execScript = (_id, cmd) => {
      const r = results[cmd[0] ?? ''];
      if (r === 'hang') return new Promise<ExecSyncResult>(() => undefined);
      return { stdout: r?.stdout ?? Buffer.alloc(0), stderr: r?.stderr ?? Buffer.alloc(0), exitCode: r?.exitCode ?? 0 };
    };
  }

  /** Adds a container directly (tests of status/probes that need no create/start flow). */
  putContainer(status: Partial<ContainerStatus> & { id: string; name?: string }, podSandboxId = ''): ContainerStatus {
    const full: ContainerStatus = {
      metadata: { name: status.name ?? status.id, attempt: 0 },
      state: 'running', createdAt: this.now(), startedAt: this.now(), finishedAt: 0, exitCode: 0,
      image: 'busybox', imageRef: 'sha256:0', reason: '', message: '', labels: {}, annotations: {}, logPath: '',
      ...status,
    };
    this.containers.set(full.id, { status: full, podSandboxId });
    return full;
  }

  /** Marks a container exited (as if its process ended). */
  exit(id: string, exitCode: number, reason = exitCode === 0 ? 'Completed' : 'Error'): void {
    const c = this.mustContainer(id);
    c.status = { ...c.status, state: 'exited', exitCode, reason, finishedAt: this.now() };
  }

  private record(method: string, args: unknown[]): void {
    this.calls.push({ method, args });
    const err = this.failures.get(method);
    if (err) throw err;
  }

  private nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${String(this.seq).padStart(4, '0')}`;
  }

  private mustContainer(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `container "${id}" not found`);
    return c;
  }

  async version(): Promise<RuntimeVersion> {
    this.record('version', []);
    return { version: '0.1.0', runtimeName: 'fake', runtimeVersion: '0.0.0', runtimeApiVersion: 'v1' };
  }

  async status(): Promise<RuntimeCondition[]> {
    this.record('status', []);
    return [
      { type: 'RuntimeReady', status: true, reason: '', message: '' },
      { type: 'NetworkReady', status: true, reason: '', message: '' },
    ];
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    this.record('runPodSandbox', [config]);
    const id = this.nextId('sb');
    const hostNetwork = config.linux.hostNetwork;
    const status: PodSandboxStatus = {
      id, metadata: config.metadata, state: 'ready', createdAt: this.now(),
      labels: { ...config.labels }, annotations: { ...config.annotations },
      network: { ip: hostNetwork ? '' : this.podIP(this.seq), additionalIps: [] }, hostNetwork,
    };
    this.sandboxes.set(id, { status, config });
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    this.record('stopPodSandbox', [id]);
    const sb = this.sandboxes.get(id);
    if (!sb) throw new RuntimeError('NotFound', `sandbox "${id}" not found`);
    sb.status = { ...sb.status, state: 'notready' };
    for (const c of this.containers.values()) {
      if (c.podSandboxId === id && c.status.state === 'running') c.status = { ...c.status, state: 'exited', exitCode: 137, finishedAt: this.now() };
    }
  }

  async removePodSandbox(id: string): Promise<void> {
    this.record('removePodSandbox', [id]);
    this.sandboxes.delete(id);
    for (const [cid, c] of this.containers) if (c.podSandboxId === id) this.containers.delete(cid);
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    this.record('podSandboxStatus', [id]);
    const sb = this.sandboxes.get(id);
    if (!sb) throw new RuntimeError('NotFound', `sandbox "${id}" not found`);
    return sb.status;
  }

  async listPodSandbox(filter: SandboxFilter = {}): Promise<PodSandbox[]> {
    this.record('listPodSandbox', [filter]);
    return [...this.sandboxes.values()]
      .map((s) => s.status)
      .filter((s) => (filter.id === undefined || s.id === filter.id) && (filter.state === undefined || s.state === filter.state))
      .filter((s) => matchLabels(s.labels, filter.labelSelector))
      .map(({ network: _n, hostNetwork: _h, ...sandbox }) => sandbox);
  }

  async createContainer(podSandboxId: string, config: ContainerConfig): Promise<string> {
    this.record('createContainer', [podSandboxId, config]);
    if (!this.sandboxes.has(podSandboxId)) throw new RuntimeError('NotFound', `sandbox "${podSandboxId}" not found`);
    const id = this.nextId('ctr');
    const status: ContainerStatus = {
      id, metadata: config.metadata, state: 'created', createdAt: this.now(), startedAt: 0, finishedAt: 0, exitCode: 0,
      image: config.image, imageRef: config.image, reason: '', message: '',
      labels: { ...config.labels }, annotations: { ...config.annotations }, logPath: config.logPath,
    };
    this.containers.set(id, { status, podSandboxId, config });
    return id;
  }

  async startContainer(id: string): Promise<void> {
    this.record('startContainer', [id]);
    const c = this.mustContainer(id);
    c.status = { ...c.status, state: 'running', startedAt: this.now() };
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    this.record('stopContainer', [id, timeoutSeconds]);
    const c = this.mustContainer(id);
    if (c.status.state === 'running') c.status = { ...c.status, state: 'exited', exitCode: 137, reason: 'Error', finishedAt: this.now() };
  }

  async removeContainer(id: string): Promise<void> {
    this.record('removeContainer', [id]);
    this.containers.delete(id);
  }

  async listContainers(filter: ContainerFilter = {}): Promise<Container[]> {
    this.record('listContainers', [filter]);
    const out: Container[] = [];
    for (const c of this.containers.values()) {
      const s = c.status;
      if (filter.id !== undefined && s.id !== filter.id) continue;
      if (filter.podSandboxId !== undefined && c.podSandboxId !== filter.podSandboxId) continue;
      if (filter.state !== undefined && s.state !== filter.state) continue;
      if (!matchLabels(s.labels, filter.labelSelector)) continue;
      out.push({
        id: s.id, podSandboxId: c.podSandboxId, metadata: s.metadata, image: s.image, imageRef: s.imageRef,
        state: s.state, createdAt: s.createdAt, labels: s.labels, annotations: s.annotations,
      });
    }
    return out;
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    this.record('containerStatus', [id]);
    return this.mustContainer(id).status;
  }

  async execSync(id: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResult> {
    this.record('execSync', [id, cmd, timeoutSeconds]);
    const c = this.mustContainer(id);
    if (c.status.state !== 'running') throw new RuntimeError('FailedPrecondition', `container "${id}" is not running`);
    const run = Promise.resolve().then(() => this.execScript(id, cmd, timeoutSeconds));
    if (!this.enforceExecTimeout || timeoutSeconds <= 0) return run;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RuntimeError('DeadlineExceeded', `timeout ${timeoutSeconds}s exceeded`)), timeoutSeconds * 1000);
    });
    try {
      return await Promise.race([run, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  async exec(req: ExecRequest): Promise<ExecSession> {
    this.record('exec', [req]);
    this.mustContainer(req.containerId);
    const stdout = new PassThrough();
    const stderr = req.tty ? null : new PassThrough();
    let finish: (r: { exitCode: number | null }) => void = () => undefined;
    const done = new Promise<{ exitCode: number | null }>((resolve) => { finish = resolve; });
    return {
      stdin: req.stdin ? new PassThrough() : null, stdout, stderr, done,
      resize: () => undefined,
      close: () => { stdout.end(); stderr?.end(); finish({ exitCode: null }); },
    };
  }

  async containerStats(id: string): Promise<ContainerStats> {
    this.record('containerStats', [id]);
    this.mustContainer(id);
    return { id, timestamp: this.now(), cpuUsageCoreNanoSeconds: 0, memoryWorkingSetBytes: 0 };
  }
}

function matchLabels(labels: Record<string, string>, selector: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
