// RuntimeService over runtime.v1 gRPC. Every call carries a deadline: queries get `queryMs`, lifecycle
// calls (sandbox network setup, container create/start/stop) get `lifecycleMs` as kubelet's 2-minute
// runtime-request-timeout does, since a busy containerd can take seconds per sandbox.
import type {
  ContainerConfig, ContainerFilter, ExecRequest, ExecSession, PodSandboxConfig, RuntimeService, SandboxFilter,
} from '../types.js';
import { RuntimeError } from '../types.js';
import type { UnaryCall } from './unary-call.js';
import type {
  WireContainer, WireContainerStats, WireContainerStatus, WireExecSyncResponse, WirePodSandbox, WirePodSandboxStatus,
  WireStatusResponse, WireVersionResponse,
} from './messages.js';
import { toWireContainerConfig, toWireContainerFilter, toWireSandboxConfig, toWireSandboxFilter } from './to-cri.js';
import {
  fromWireCondition, fromWireContainer, fromWireContainerStatus, fromWireSandbox, fromWireSandboxStatus, fromWireStats,
  fromWireVersion,
} from './from-cri.js';
import { openExecStream } from './exec-stream.js';
import { openSpdyExec } from './exec-spdy.js';

export interface CriDeadlines {
  /** Reads and small calls. */
  queryMs: number;
  /** Sandbox and container lifecycle calls (StopContainer adds its grace period). */
  lifecycleMs: number;
  /** ExecSync without a timeout of its own. */
  longMs: number;
}

/** How streaming exec reaches the runtime's streaming server: SPDY (default: the only one containerd 1.6
 *  can half-close stdin on) or websocket v4/v5.channel.k8s.io. */
export type ExecTransport = 'spdy' | 'websocket';

/** CRI's removals are idempotent; containerd already answers OK for a missing id, this makes it certain. */
async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof RuntimeError && err.code === 'NotFound')) throw err;
  }
}

export function criRuntimeService(call: UnaryCall, d: CriDeadlines, execTransport: ExecTransport = 'spdy'): RuntimeService {
  return {
    async version() {
      return fromWireVersion(await call<WireVersionResponse>('Version', { version: 'v1' }, d.queryMs));
    },
    async status() {
      const res = await call<WireStatusResponse>('Status', { verbose: false }, d.queryMs);
      return (res.status?.conditions ?? []).map(fromWireCondition);
    },
    async runPodSandbox(config: PodSandboxConfig, runtimeHandler = '') {
      const res = await call<{ podSandboxId: string }>('RunPodSandbox', { config: toWireSandboxConfig(config), runtimeHandler }, d.lifecycleMs);
      return res.podSandboxId;
    },
    async stopPodSandbox(id) {
      await call('StopPodSandbox', { podSandboxId: id }, d.lifecycleMs);
    },
    async removePodSandbox(id) {
      await ignoreNotFound(call('RemovePodSandbox', { podSandboxId: id }, d.lifecycleMs));
    },
    async podSandboxStatus(id) {
      const res = await call<{ status: WirePodSandboxStatus | null }>('PodSandboxStatus', { podSandboxId: id, verbose: false }, d.queryMs);
      if (!res.status) throw new RuntimeError('NotFound', `CRI PodSandboxStatus: no status for sandbox ${id}`);
      return fromWireSandboxStatus(res.status);
    },
    async listPodSandbox(filter?: SandboxFilter) {
      const res = await call<{ items: WirePodSandbox[] }>('ListPodSandbox', { filter: toWireSandboxFilter(filter) }, d.queryMs);
      return res.items.map(fromWireSandbox);
    },
    async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig) {
      const res = await call<{ containerId: string }>('CreateContainer', {
        podSandboxId, config: toWireContainerConfig(config, sandboxConfig), sandboxConfig: toWireSandboxConfig(sandboxConfig),
      }, d.lifecycleMs);
      return res.containerId;
    },
    async startContainer(id) {
      await call('StartContainer', { containerId: id }, d.lifecycleMs);
    },
    async stopContainer(id, timeoutSeconds) {
      const grace = Math.max(0, Math.floor(timeoutSeconds));
      await call('StopContainer', { containerId: id, timeout: grace }, grace * 1000 + d.lifecycleMs);
    },
    async removeContainer(id) {
      await ignoreNotFound(call('RemoveContainer', { containerId: id }, d.lifecycleMs));
    },
    async listContainers(filter?: ContainerFilter) {
      const res = await call<{ containers: WireContainer[] }>('ListContainers', { filter: toWireContainerFilter(filter) }, d.queryMs);
      return res.containers.map(fromWireContainer);
    },
    async containerStatus(id) {
      const res = await call<{ status: WireContainerStatus | null }>('ContainerStatus', { containerId: id, verbose: false }, d.queryMs);
      if (!res.status) throw new RuntimeError('NotFound', `CRI ContainerStatus: no status for container ${id}`);
      return fromWireContainerStatus(res.status);
    },
    async execSync(id, cmd, timeoutSeconds) {
      const seconds = Math.max(0, Math.ceil(timeoutSeconds));
      // The runtime enforces `timeout`; our deadline is a backstop a little later, so its error wins.
      const deadline = (seconds > 0 ? seconds * 1000 : d.longMs) + d.queryMs;
      const res = await call<WireExecSyncResponse>('ExecSync', { containerId: id, cmd, timeout: seconds }, deadline);
      return { stdout: Buffer.from(res.stdout), stderr: Buffer.from(res.stderr), exitCode: res.exitCode };
    },
    async exec(req: ExecRequest): Promise<ExecSession> {
      // The streaming server refuses tty together with stderr: a terminal has one output stream. And
      // containerd 1.6 copies no output of a tty exec without stdin, so a tty always gets stdin (unused
      // when the caller did not ask for it: session.stdin stays null).
      const stderr = req.stderr && !req.tty;
      const stdin = req.stdin || req.tty;
      const res = await call<{ url: string }>('Exec', {
        containerId: req.containerId, cmd: req.cmd, tty: req.tty, stdin, stdout: req.stdout, stderr,
      }, d.queryMs);
      const open = execTransport === 'spdy' ? openSpdyExec : openExecStream;
      const session = await open(res.url, { tty: req.tty, stdin, stdout: req.stdout, stderr, connectTimeoutMs: d.queryMs });
      if (stdin && !req.stdin) return { ...session, stdin: null };
      return session;
    },
    async containerStats(id) {
      const res = await call<{ stats: WireContainerStats | null }>('ContainerStats', { containerId: id }, d.queryMs);
      return fromWireStats(id, res.stats, Date.now());
    },
  };
}
