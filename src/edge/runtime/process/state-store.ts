// What the process runtime remembers across edgecore restarts: sandboxes, containers (exited ones too,
// so kubelet-style lastState survives) with the pid and /proc start time of running ones, and image ids.
// One JSON file, replaced atomically (write a temp file, rename). Saves are coalesced: a burst of
// changes becomes one write. There is no fsync: a killed edgecore loses nothing (the page cache
// survives), a power cut may lose the last changes, which recovery treats like an exit.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ContainerStatus, LinuxContainerResources, Mount, PodSandbox } from '../types.js';

/** A CRI PodSandbox plus what the process runtime needs to keep. */
export interface SandboxRecord extends PodSandbox {
  logDirectory: string;
  /** What the pod asked for; the process runtime always shares the host network anyway. */
  requestedHostNetwork: boolean;
}

/** A CRI ContainerStatus (logPath absolute; '' = output discarded) plus the process behind it. */
export interface ContainerRecord extends ContainerStatus {
  podSandboxId: string;
  argv: string[];
  /** "K=V" entries. */
  env: string[];
  workingDir: string;
  /** The directory we made for this container (removed with it). */
  ownDir: string;
  mounts: Mount[];
  /** Started in a private mount namespace (exec enters it with nsenter). */
  mountNamespace: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  /** Recorded, not enforced (see process-runtime.ts). */
  resources?: LinuxContainerResources;
  /** Host paths we created as mount targets, in creation order (removed with the container if still empty). */
  createdPaths: string[];
  /** 0 when not running. */
  pid: number;
  /** Field 22 of /proc/<pid>/stat: tells a recycled pid from ours. */
  pidStartTime: string;
}

export interface RuntimeStateData {
  version: 1;
  sandboxes: Record<string, SandboxRecord>;
  containers: Record<string, ContainerRecord>;
  /** image id -> reference. */
  images: Record<string, string>;
}

export function emptyState(): RuntimeStateData {
  return { version: 1, sandboxes: {}, containers: {}, images: {} };
}

export type LoadResult = { state: RuntimeStateData; problem?: string };

/** Reads the state; a missing file is a fresh runtime, an unreadable one is set aside and reported. */
export async function loadState(path: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: emptyState() };
    throw err;
  }
  try {
    const data = JSON.parse(text) as Partial<RuntimeStateData>;
    if (data.version !== 1 || typeof data.sandboxes !== 'object' || typeof data.containers !== 'object') {
      throw new Error('unknown state version or shape');
    }
    return { state: { version: 1, sandboxes: data.sandboxes ?? {}, containers: data.containers ?? {}, images: data.images ?? {} } };
  } catch (err) {
    const aside = `${path}.corrupt-${Date.now()}`;
    await rename(path, aside);
    return { state: emptyState(), problem: `${(err as Error).message}; moved to ${aside}` };
  }
}

/** Coalescing atomic writer of one JSON file. */
export class StateFile {
  private writing: Promise<void> | undefined;
  private dirty = false;
  private closed = false;
  private lastError: unknown;

  constructor(private readonly path: string, private readonly snapshot: () => RuntimeStateData, private readonly onError: (err: unknown) => void) {}

  /** Schedules a write of the current state. */
  save(): void {
    if (this.closed) return;
    this.dirty = true;
    this.writing ??= this.loop();
  }

  /** Resolves when everything saved so far is on disk. */
  async flush(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
    if (this.lastError !== undefined) {
      const err = this.lastError;
      this.lastError = undefined;
      throw err;
    }
  }

  /** Flushes, then ignores later saves (a closed runtime no longer owns the file). */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private async loop(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.dirty) {
        this.dirty = false;
        await this.write(JSON.stringify(this.snapshot()));
      }
    } catch (err) {
      this.lastError = err;
      this.onError(err);
    } finally {
      this.writing = undefined;
    }
  }

  private async write(text: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, text);
    await rename(tmp, this.path);
  }
}
