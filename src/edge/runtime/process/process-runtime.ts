// The `process` container runtime: edgecore's embedded default when no CRI socket is found. Each
// container is a supervised host process. Decisions, in one place:
// - No isolation, and it says so: version() is runtimeName 'process', runtimeVersion '0.1.0 (no
//   isolation)'; ContainerRuntime.isolates is false. Every sandbox shares the host network
//   (status: hostNetwork true, ip = nodeIP or the first non-internal IPv4); port mappings are not
//   applied (a containerPort is simply a host port). A sandbox is only a record: it has no process.
// - Images are entries of an image catalog (image-catalog.ts); pulls never download anything.
// - command/args follow Docker/CRI rules over the catalog's entrypoint/cmd; nothing to run is
//   InvalidArgument. Env = catalog env + config envs + PATH when missing (no variable of edgecore
//   leaks in). Working directory: config, else catalog, else <stateDir>/containers/<id>; a missing
//   one is created on the host.
// - Mounts: processes see host paths. As root with util-linux unshare, a container with mounts starts
//   in a private mount namespace through a /bin/sh wrapper that bind-mounts each hostPath on its
//   containerPath (read-only ones remounted ro) and execs the command. Missing mount targets ARE
//   CREATED ON THE HOST filesystem (empty dir or file); they are removed with the container while
//   still empty. Without root or unshare, a container with mounts fails createContainer with
//   FailedPrecondition; containers without mounts just run.
// - runAsUser/runAsGroup are applied with util-linux setpriv (root only, FailedPrecondition otherwise).
// - Resource limits are recorded, NOT enforced: there are no cgroups here, and RLIMIT_AS (the only
//   memory rlimit) breaks runtimes that reserve address space (Go, Java, Node), so a pod would die for
//   the wrong reason. oomScoreAdj is applied best effort; 'OOMKilled' is never reported.
// - Logs: stdout/stderr pipes -> <logDirectory>/<logPath> in CRI format (cri-log.ts), appended.
// - Lifecycle: a container leads its own process group; stop sends SIGTERM to the group and SIGKILL
//   after the timeout; when the leader exits the group is killed. Exit by signal = 128+signo; reason
//   'Completed' for 0, 'Error' otherwise, 'StartError' (128) when the command cannot be spawned.
// - State (state-store.ts) survives edgecore restarts. Processes do not: on start, containers still
//   recorded as running are killed (if pid and start time still match) and marked exited 137 with a
//   message, so edged restarts them per restartPolicy. close() stops nothing; stopAll() does.
// - exec/execSync run with the container's env, cwd and user, inside its mount namespace (nsenter)
//   when it has one; exec sessions are killed when the container exits.
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../../core/index.js';
import {
  RuntimeError, type ContainerConfig, type ContainerFilter, type ContainerRuntime, type ContainerStats, type ExecRequest,
  type ExecSession, type ExecSyncResult, type PodSandboxConfig, type RuntimeCondition, type RuntimeService, type RuntimeVersion,
  type SandboxFilter,
} from '../types.js';
import { buildContainerRecord, insideMount } from './container-config.js';
import { prepareMountTargets, removeCreatedTargets, StartError, startContainerProcess, type ProcessExit } from './container-process.js';
import { execStreaming, execSyncIn, type ExecTarget } from './exec.js';
import { CatalogImageService } from './image-catalog.js';
import { findHostTools, signalGroup, userPrefix, type HostTools } from './launch-plan.js';
import { groupUsage, liveStartTime } from './proc-stat.js';
import { containerMatches, markRunningAsExited, sandboxMatches, toContainer, toContainerStatus, toPodSandbox, toPodSandboxStatus } from './records.js';
import { loadState, StateFile, type ContainerRecord, type RuntimeStateData, type SandboxRecord } from './state-store.js';
import { SandboxBook } from './sandbox-book.js';

export const PROCESS_RUNTIME_VERSION = '0.1.0';

export interface ProcessRuntimeOptions { stateDir: string; log: Logger; nodeIP?: string; now?: () => number }

export interface ProcessRuntime extends ContainerRuntime {
  readonly kind: 'process';
  readonly isolates: false;
  readonly stateDir: string;
  /** Clean shutdown: stops every running container (SIGTERM, SIGKILL after timeoutSeconds, default 10). */
  stopAll(timeoutSeconds?: number): Promise<void>;
}

export function firstHostIPv4(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

interface Running { pid: number; exited: Promise<void> }

class ProcessRuntimeService implements RuntimeService {
  private readonly running = new Map<string, Running>();
  /** Exec'd command pids per container, killed when the container exits. */
  private readonly execs = new Map<string, Set<number>>();
  readonly sandboxes: SandboxBook;

  constructor(
    private readonly st: RuntimeStateData,
    private readonly file: StateFile,
    readonly images: CatalogImageService,
    private readonly tools: HostTools,
    private readonly opts: Required<Omit<ProcessRuntimeOptions, 'nodeIP'>> & { nodeIP: string },
  ) {
    this.sandboxes = new SandboxBook(st, () => file.save(), (id) => this.containersOf(id));
  }

  async version(): Promise<RuntimeVersion> {
    return { version: PROCESS_RUNTIME_VERSION, runtimeName: 'process', runtimeVersion: `${PROCESS_RUNTIME_VERSION} (no isolation)`, runtimeApiVersion: 'v1' };
  }

  async status(): Promise<RuntimeCondition[]> {
    return [
      { type: 'RuntimeReady', status: true, reason: '', message: 'containers run as host processes, without isolation' },
      { type: 'NetworkReady', status: true, reason: '', message: 'every pod shares the host network' },
    ];
  }

  runPodSandbox(config: PodSandboxConfig, runtimeHandler?: string): Promise<string> {
    return this.sandboxes.run(config, runtimeHandler, this.opts.now());
  }

  async stopPodSandbox(id: string): Promise<void> {
    const sb = this.st.sandboxes[id];
    if (sb === undefined) return;
    await Promise.all(this.containersOf(id).map((c) => this.stopContainer(c.id, 0)));
    this.sandboxes.markNotReady(sb);
  }

  async removePodSandbox(id: string): Promise<void> {
    if (this.st.sandboxes[id] === undefined) return;
    await this.stopPodSandbox(id);
    for (const c of this.containersOf(id)) await this.removeContainer(c.id);
    this.sandboxes.remove(id);
  }

  async podSandboxStatus(id: string) {
    return toPodSandboxStatus(this.sandboxes.get(id), this.opts.nodeIP);
  }

  async listPodSandbox(filter?: SandboxFilter) {
    return Object.values(this.st.sandboxes).filter((s) => sandboxMatches(s, filter)).map(toPodSandbox);
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const sandbox = this.sandboxes.get(podSandboxId);
    if (sandbox.state !== 'ready') throw new RuntimeError('FailedPrecondition', `sandbox ${podSandboxId} is not ready`);
    const { name, attempt } = config.metadata;
    if (this.containersOf(podSandboxId).some((c) => c.metadata.name === name && c.metadata.attempt === attempt)) {
      throw new RuntimeError('AlreadyExists', `container "${name}" attempt ${attempt} already exists in sandbox ${podSandboxId}`);
    }
    const image = await this.images.defaultsFor(config.image);
    const id = randomBytes(32).toString('hex');
    const ownDir = join(this.opts.stateDir, 'containers', id);
    const rec = buildContainerRecord({
      id, sandbox, config, sandboxConfig, ownDir, image, tools: this.tools, now: this.opts.now(),
    });
    await mkdir(ownDir, { recursive: true });
    this.st.containers[id] = rec;
    this.file.save();
    const r = rec.resources;
    if (r && (r.memoryLimitInBytes || r.cpuQuota || r.cpuShares)) {
      this.opts.log.debug('resource limits recorded, not enforced', { container: id, name, memoryLimitInBytes: r.memoryLimitInBytes, cpuQuota: r.cpuQuota });
    }
    return id;
  }

  async startContainer(id: string): Promise<void> {
    const rec = this.container(id);
    if (rec.state !== 'created') throw new RuntimeError('FailedPrecondition', `container ${id} is ${rec.state}, only a created container can start`);
    try {
      if (!insideMount(rec, rec.workingDir)) await mkdir(rec.workingDir, { recursive: true });
      if (rec.mountNamespace) rec.createdPaths = await prepareMountTargets(rec.mounts);
      const started = await startContainerProcess(rec, this.tools, this.opts.now);
      Object.assign(rec, { state: 'running', pid: started.pid, pidStartTime: started.startTime, startedAt: this.opts.now() });
      this.running.set(id, { pid: started.pid, exited: started.exited.then((e) => this.onExit(rec, e)) });
      this.file.save();
      const adj = rec.resources?.oomScoreAdj;
      if (adj !== undefined) await writeFile(`/proc/${started.pid}/oom_score_adj`, String(adj)).catch(() => undefined);
      this.opts.log.info('container started', { container: id, name: rec.metadata.name, pid: started.pid });
    } catch (err) {
      const message = err instanceof StartError ? err.message : `cannot start: ${(err as Error).message}`;
      Object.assign(rec, { state: 'exited', exitCode: 128, reason: 'StartError', message, startedAt: 0, finishedAt: this.opts.now() });
      this.file.save();
      throw new RuntimeError('Unknown', `container "${rec.metadata.name}": ${message}`, { cause: err });
    }
  }

  private onExit(rec: ContainerRecord, e: ProcessExit): void {
    this.running.delete(rec.id);
    for (const pid of this.execs.get(rec.id) ?? []) signalGroup(pid, 'SIGKILL');
    this.execs.delete(rec.id);
    Object.assign(rec, {
      state: 'exited', exitCode: e.exitCode, reason: e.exitCode === 0 ? 'Completed' : 'Error', message: '',
      finishedAt: this.opts.now(), pid: 0, pidStartTime: '',
    });
    this.file.save();
    this.opts.log.info('container exited', { container: rec.id, name: rec.metadata.name, exitCode: e.exitCode });
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    const run = this.running.get(id);
    if (run === undefined) return;
    signalGroup(run.pid, timeoutSeconds > 0 ? 'SIGTERM' : 'SIGKILL');
    const timer = timeoutSeconds > 0 ? setTimeout(() => signalGroup(run.pid, 'SIGKILL'), timeoutSeconds * 1000) : undefined;
    await run.exited;
    clearTimeout(timer);
  }

  async removeContainer(id: string): Promise<void> {
    const rec = this.st.containers[id];
    if (rec === undefined) return;
    await this.stopContainer(id, 0);
    delete this.st.containers[id];
    this.file.save();
    const others = Object.values(this.st.containers);
    await removeCreatedTargets(rec.createdPaths, (p) => others.some((o) => o.mounts.some((m) => m.containerPath === p || m.containerPath.startsWith(`${p}/`))));
    if (rec.ownDir.startsWith(join(this.opts.stateDir, 'containers'))) await rm(rec.ownDir, { recursive: true, force: true });
  }

  async listContainers(filter?: ContainerFilter) {
    return Object.values(this.st.containers).filter((c) => containerMatches(c, filter)).map(toContainer);
  }

  async containerStatus(id: string) {
    return toContainerStatus(this.container(id));
  }

  async execSync(id: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResult> {
    return execSyncIn(this.execTarget(id), cmd, timeoutSeconds, this.tools);
  }

  async exec(req: ExecRequest): Promise<ExecSession> {
    return execStreaming(this.execTarget(req.containerId), req, this.tools);
  }

  async containerStats(id: string): Promise<ContainerStats> {
    const rec = this.container(id);
    const stats: ContainerStats = { id, timestamp: this.opts.now() };
    const run = this.running.get(id);
    const usage = run === undefined ? undefined : await groupUsage(run.pid, this.tools.clockTicksPerSecond);
    if (usage !== undefined) {
      stats.cpuUsageCoreNanoSeconds = usage.cpuNanoSeconds;
      stats.memoryWorkingSetBytes = usage.rssBytes;
    } else if (rec.state !== 'running') {
      stats.memoryWorkingSetBytes = 0;
    }
    return stats;
  }

  async stopAll(timeoutSeconds: number): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.stopContainer(id, timeoutSeconds)));
  }

  /** After an edgecore restart: kill what the previous edgecore left running, record it as exited. */
  async recover(): Promise<number> {
    const alive = new Set<string>();
    for (const rec of Object.values(this.st.containers)) {
      if (rec.state === 'running' && rec.pid > 0 && rec.pidStartTime !== '' && (await liveStartTime(rec.pid)) === rec.pidStartTime) alive.add(rec.id);
    }
    const before = Object.values(this.st.containers).filter((c) => c.state === 'running').length;
    for (const pid of markRunningAsExited(Object.values(this.st.containers), (r) => alive.has(r.id), this.opts.now())) signalGroup(pid, 'SIGKILL');
    if (before > 0) {
      this.file.save();
      this.opts.log.info('containers of the previous edgecore ended', { containers: before, killed: alive.size });
    }
    return before;
  }

  private container(id: string): ContainerRecord {
    const rec = this.st.containers[id];
    if (rec === undefined) throw new RuntimeError('NotFound', `container ${id} not found`);
    return rec;
  }

  private containersOf(sandboxId: string): ContainerRecord[] {
    return Object.values(this.st.containers).filter((c) => c.podSandboxId === sandboxId);
  }

  private execTarget(id: string): ExecTarget {
    const rec = this.container(id);
    const run = this.running.get(id);
    if (run === undefined) throw new RuntimeError('FailedPrecondition', `container ${id} is not running (${rec.state})`);
    return {
      env: rec.env,
      workingDir: rec.workingDir,
      nsPid: rec.mountNamespace ? run.pid : 0,
      user: userPrefix(rec, this.tools),
      track: (pid) => {
        const set = this.execs.get(id) ?? new Set<number>();
        this.execs.set(id, set.add(pid));
        return () => set.delete(pid);
      },
    };
  }
}

export async function createProcessRuntime(opts: ProcessRuntimeOptions): Promise<ProcessRuntime> {
  const log = opts.log;
  await mkdir(opts.stateDir, { recursive: true });
  const statePath = join(opts.stateDir, 'state.json');
  const [tools, loaded] = await Promise.all([findHostTools(), loadState(statePath)]);
  if (loaded.problem !== undefined) log.warn('process runtime state unreadable, starting empty', { problem: loaded.problem });
  const st = loaded.state;
  const file = new StateFile(statePath, () => st, (err) => log.error('process runtime state not saved', { err: (err as Error).message }));
  const images = new CatalogImageService(opts.stateDir, {
    get: (id) => st.images[id],
    remember: (id, ref) => {
      if (st.images[id] !== ref) {
        st.images[id] = ref;
        file.save();
      }
    },
    all: () => Object.entries(st.images),
  });
  const svc = new ProcessRuntimeService(st, file, images, tools, {
    stateDir: opts.stateDir, log, now: opts.now ?? Date.now, nodeIP: opts.nodeIP || firstHostIPv4(),
  });
  await svc.recover();
  await file.flush();
  log.info('process runtime ready', { stateDir: opts.stateDir, isolation: false, mounts: tools.isRoot && tools.unshare !== undefined });
  return {
    kind: 'process',
    isolates: false,
    stateDir: opts.stateDir,
    runtime: svc,
    images,
    stopAll: (timeoutSeconds = 10) => svc.stopAll(timeoutSeconds),
    close: () => file.close(),
  };
}
