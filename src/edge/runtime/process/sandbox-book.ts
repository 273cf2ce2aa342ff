// Sandboxes of the process runtime are records only: no pause process, no namespaces. A sandbox name
// (name, namespace, uid, attempt) is reserved while it exists, as containerd does.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { RuntimeError, type PodSandboxConfig } from '../types.js';
import type { ContainerRecord, RuntimeStateData, SandboxRecord } from './state-store.js';

export class SandboxBook {
  constructor(
    private readonly st: RuntimeStateData,
    private readonly save: () => void,
    private readonly containersOf: (id: string) => ContainerRecord[],
  ) {}

  async run(config: PodSandboxConfig, runtimeHandler: string | undefined, now: number): Promise<string> {
    if (runtimeHandler !== undefined && runtimeHandler !== '') {
      throw new RuntimeError('InvalidArgument', `the process runtime has no runtime handler "${runtimeHandler}"`);
    }
    const m = config.metadata;
    const taken = Object.values(this.st.sandboxes).find(
      (s) => s.metadata.name === m.name && s.metadata.namespace === m.namespace && s.metadata.uid === m.uid && s.metadata.attempt === m.attempt,
    );
    if (taken !== undefined) {
      throw new RuntimeError('AlreadyExists', `sandbox ${m.namespace}/${m.name} (uid ${m.uid}, attempt ${m.attempt}) already exists as ${taken.id}`);
    }
    if (config.logDirectory !== '') await mkdir(config.logDirectory, { recursive: true });
    const id = randomBytes(32).toString('hex');
    this.st.sandboxes[id] = {
      id,
      metadata: { ...m },
      state: 'ready',
      createdAt: now,
      labels: { ...config.labels },
      annotations: { ...config.annotations },
      logDirectory: config.logDirectory,
      requestedHostNetwork: config.linux.hostNetwork,
    };
    this.save();
    return id;
  }

  get(id: string): SandboxRecord {
    const sb = this.st.sandboxes[id];
    if (sb === undefined) throw new RuntimeError('NotFound', `sandbox ${id} not found`);
    return sb;
  }

  markNotReady(sb: SandboxRecord): void {
    if (sb.state === 'notready') return;
    sb.state = 'notready';
    this.save();
  }

  /** The caller removed the containers first. */
  remove(id: string): void {
    if (this.containersOf(id).length > 0) throw new RuntimeError('FailedPrecondition', `sandbox ${id} still has containers`);
    delete this.st.sandboxes[id];
    this.save();
  }
}
