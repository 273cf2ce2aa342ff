// Fakes for edgestream tests: a ContainerLocator over a table of containers with CRI log files, and
// a RuntimeService whose exec runs the command as a host process (no pty: resizes are recorded).
// Cloud tests may not import edge code, so the edge end of the tunnel is started from here.
import { spawn } from 'node:child_process';
import { PassThrough, type Readable } from 'node:stream';
import { ContainerNotFoundError, type ContainerLocation, type ContainerLocator } from '../edge/edged/index.js';
import { startEdgeStream, type EdgeStream, type EdgeStreamOptions } from '../edge/edgestream/index.js';
export type { EdgeStream };
import { RuntimeError, type ExecRequest, type ExecSession, type RuntimeService } from '../edge/runtime/index.js';

export interface FakeContainer {
  namespace: string;
  pod: string;
  name: string;
  /** Current instance. */
  current: ContainerLocation;
  previous?: ContainerLocation;
}

export class FakeContainerLocator implements ContainerLocator {
  readonly containers: FakeContainer[] = [];
  calls = 0;

  add(c: FakeContainer): void {
    this.containers.push(c);
  }

  async locate(namespace: string, pod: string, container: string, previous: boolean): Promise<ContainerLocation> {
    this.calls++;
    const inPod = this.containers.filter((c) => c.namespace === namespace && c.pod === pod);
    if (inPod.length === 0) throw new ContainerNotFoundError(`pod ${namespace}/${pod} is not on this node`);
    const c = container === '' && inPod.length === 1 ? inPod[0] : inPod.find((x) => x.name === container);
    if (!c) throw new ContainerNotFoundError(`container ${container} is not valid for pod ${pod}`);
    if (previous) {
      if (!c.previous) throw new ContainerNotFoundError(`previous terminated container "${c.name}" in pod "${pod}" not found`);
      return c.previous;
    }
    return c.current;
  }
}

export interface ExecRecord { request: ExecRequest; resizes: [number, number][] }

const unimplemented = (what: string) => (): never => { throw new RuntimeError('Unimplemented', `fake runtime: ${what}`); };

/** Only exec is real; every other method throws Unimplemented. */
export function createExecOnlyRuntime(): RuntimeService & { execs: ExecRecord[] } {
  const execs: ExecRecord[] = [];
  const exec = async (request: ExecRequest): Promise<ExecSession> => {
    const [cmd, ...args] = request.cmd;
    if (cmd === undefined) throw new RuntimeError('InvalidArgument', 'empty command');
    const record: ExecRecord = { request, resizes: [] };
    execs.push(record);
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const done = new Promise<{ exitCode: number | null; message?: string }>((resolve) => {
      child.once('error', (err) => resolve({ exitCode: null, message: err.message }));
      child.once('close', (code) => resolve({ exitCode: code }));
    });
    if (!request.stdin) child.stdin.end();
    // With a tty, stderr is merged into stdout as a terminal would.
    let out: Readable = child.stdout;
    if (request.tty) {
      const merged = new PassThrough();
      let open = 2;
      const ended = (): void => { if (--open === 0) merged.end(); };
      child.stdout.once('end', ended).pipe(merged, { end: false });
      child.stderr.once('end', ended).pipe(merged, { end: false });
      out = merged;
    }
    return {
      stdin: request.stdin ? child.stdin : null,
      stdout: request.stdout || request.tty ? out : null,
      stderr: request.stderr && !request.tty ? child.stderr : null,
      resize: (cols, rows) => { record.resizes.push([cols, rows]); },
      done,
      close: () => { child.kill('SIGKILL'); },
    };
  };
  return {
    execs,
    exec,
    version: unimplemented('version'), status: unimplemented('status'), runPodSandbox: unimplemented('runPodSandbox'),
    stopPodSandbox: unimplemented('stopPodSandbox'), removePodSandbox: unimplemented('removePodSandbox'),
    podSandboxStatus: unimplemented('podSandboxStatus'), listPodSandbox: unimplemented('listPodSandbox'),
    createContainer: unimplemented('createContainer'), startContainer: unimplemented('startContainer'),
    stopContainer: unimplemented('stopContainer'), removeContainer: unimplemented('removeContainer'),
    listContainers: unimplemented('listContainers'), containerStatus: unimplemented('containerStatus'),
    execSync: unimplemented('execSync'), containerStats: unimplemented('containerStats'),
  };
}

/** An edgestream client for cloudstream tests (cloud code may not import edge modules itself). */
export function startTestEdgeStream(o: EdgeStreamOptions): EdgeStream {
  return startEdgeStream(o);
}
