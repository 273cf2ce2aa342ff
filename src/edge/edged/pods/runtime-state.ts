// What the runtime holds for one pod (kubelet's GetPodStatus): its sandboxes newest first and, per
// container name, its instances newest first with full statuses. Exited instances never change, so
// their statuses are cached by id; sandbox network facts are cached while the sandbox is ready.
import type { ContainerStatus, PodSandbox, PodSandboxStatus, RuntimeService } from '../../runtime/types.js';
import { RuntimeLabels } from '../../runtime/types.js';

/** A container instance: its CRI status plus the sandbox it belongs to (from ListContainers). */
export type Instance = ContainerStatus & { podSandboxId: string };

export interface PodRuntime {
  sandboxes: PodSandbox[];
  /** Status of sandboxes[0]; undefined when there is none (or it vanished meanwhile). */
  sandbox: PodSandboxStatus | undefined;
  /** Container name -> instances, newest first. */
  containers: Map<string, Instance[]>;
  /** Every instance, for kill and cleanup. */
  all: Instance[];
}

export class RuntimeStateCache {
  readonly #exited = new Map<string, ContainerStatus>();
  readonly #sandboxes = new Map<string, PodSandboxStatus>();

  constructor(readonly runtime: RuntimeService, readonly nodeName: string) {}

  async load(uid: string): Promise<PodRuntime> {
    const selector = { [RuntimeLabels.podUid]: uid, [RuntimeLabels.managedBy]: this.nodeName };
    const [sandboxes, listed] = await Promise.all([
      this.runtime.listPodSandbox({ labelSelector: selector }),
      this.runtime.listContainers({ labelSelector: selector }),
    ]);
    sandboxes.sort((a, b) => b.createdAt - a.createdAt || b.metadata.attempt - a.metadata.attempt);
    const statuses = await Promise.all(listed.map(async (c): Promise<Instance | undefined> => {
      const s = await this.#status(c.id);
      return s === undefined ? undefined : { ...s, podSandboxId: c.podSandboxId };
    }));
    const all = statuses.filter((s): s is Instance => s !== undefined);
    const containers = new Map<string, Instance[]>();
    for (const s of all) {
      const name = s.labels[RuntimeLabels.containerName] ?? s.metadata.name;
      containers.set(name, [...(containers.get(name) ?? []), s]);
    }
    for (const list of containers.values()) list.sort(newestFirst);
    const newest = sandboxes[0];
    const sandbox = newest === undefined ? undefined : await this.#sandboxStatus(newest);
    return { sandboxes, sandbox, containers, all };
  }

  /** Forgets cached facts of removed objects. */
  drop(ids: Iterable<string>): void {
    for (const id of ids) {
      this.#exited.delete(id);
      this.#sandboxes.delete(id);
    }
  }

  async #status(id: string): Promise<ContainerStatus | undefined> {
    const cached = this.#exited.get(id);
    if (cached !== undefined) return cached;
    try {
      const s = await this.runtime.containerStatus(id);
      if (s.state === 'exited') this.#exited.set(id, s);
      return s;
    } catch (err) {
      // Removed between list and status: skip it. Anything else (Unavailable) aborts the sync.
      if (runtimeCode(err) === 'NotFound') return undefined;
      throw err;
    }
  }

  async #sandboxStatus(sb: PodSandbox): Promise<PodSandboxStatus | undefined> {
    const cached = this.#sandboxes.get(sb.id);
    if (cached !== undefined && cached.state === sb.state) return cached;
    try {
      const s = await this.runtime.podSandboxStatus(sb.id);
      this.#sandboxes.set(sb.id, s);
      return s;
    } catch (err) {
      if (runtimeCode(err) === 'NotFound') return undefined;
      throw err;
    }
  }
}

/** Newest first: by attempt, then creation time. */
export function newestFirst(a: ContainerStatus, b: ContainerStatus): number {
  return b.createdAt - a.createdAt || b.metadata.attempt - a.metadata.attempt;
}

/** The RuntimeError code (matched by shape, so a runtime built against another copy still counts). */
export function runtimeCode(err: unknown): string | undefined {
  if (!(err instanceof Error) || err.name !== 'RuntimeError') return undefined;
  const code = (err as Error & { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The runtime is gone (containerd killed, socket vanished): abort the sync and retry later. */
export function isUnavailable(err: unknown): boolean {
  return runtimeCode(err) === 'Unavailable';
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
