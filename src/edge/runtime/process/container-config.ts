// ContainerConfig (+ image catalog defaults) -> the record the process runtime keeps and launches from.
// Validation lives here so createContainer fails with a clear RuntimeError before anything runs.
import { isAbsolute, join } from 'node:path';
import { RuntimeError, type ContainerConfig, type PodSandboxConfig } from '../types.js';
import type { ImageDefaults } from './image-catalog.js';
import { buildEnv, mountSupportProblem, resolveArgv, type HostTools } from './launch-plan.js';
import type { ContainerRecord, SandboxRecord } from './state-store.js';

export interface RecordInput {
  id: string;
  sandbox: SandboxRecord;
  config: ContainerConfig;
  sandboxConfig: PodSandboxConfig;
  image: { ref: string; id: string; key: string; defaults: ImageDefaults; catalogPath: string };
  /** <stateDir>/containers/<id>: the default working directory. */
  ownDir: string;
  tools: HostTools;
  now: number;
}

export function buildContainerRecord(input: RecordInput): ContainerRecord {
  const { config, image, tools } = input;
  const name = config.metadata.name;
  const argv = resolveArgv(config.command, config.args, image.defaults);
  if (argv.length === 0) {
    throw new RuntimeError(
      'InvalidArgument',
      `container "${name}": the process runtime needs a command to run: set command/args in the pod, ` +
        `or an entrypoint/cmd for image "${image.ref}" (entry "${image.key}") in ${image.catalogPath}`,
    );
  }
  for (const m of config.mounts) {
    if (!isAbsolute(m.hostPath) || !isAbsolute(m.containerPath)) {
      throw new RuntimeError('InvalidArgument', `container "${name}": mount paths must be absolute (${m.hostPath} -> ${m.containerPath})`);
    }
  }
  const mountProblem = config.mounts.length > 0 ? mountSupportProblem(tools) : undefined;
  if (mountProblem !== undefined) {
    throw new RuntimeError('FailedPrecondition', `container "${name}" has ${config.mounts.length} volume mount(s): ${mountProblem}`);
  }
  const sc = config.linux.securityContext;
  const myUid = process.getuid?.() ?? 0;
  const switchesUser = (sc?.runAsUser !== undefined && sc.runAsUser !== myUid) || sc?.runAsGroup !== undefined;
  if (switchesUser && (!tools.isRoot || tools.setpriv === undefined)) {
    throw new RuntimeError('FailedPrecondition', `container "${name}" asks for runAsUser/runAsGroup: the process runtime needs root and util-linux setpriv for that`);
  }
  const logDirectory = input.sandboxConfig.logDirectory || input.sandbox.logDirectory;
  const rec: ContainerRecord = {
    id: input.id,
    podSandboxId: input.sandbox.id,
    metadata: { ...config.metadata },
    image: config.image,
    imageRef: image.id,
    state: 'created',
    createdAt: input.now,
    startedAt: 0,
    finishedAt: 0,
    exitCode: 0,
    reason: '',
    message: '',
    labels: { ...config.labels },
    annotations: { ...config.annotations },
    logPath: config.logPath !== '' && logDirectory !== '' ? join(logDirectory, config.logPath) : '',
    argv,
    env: buildEnv(image.defaults.env, config.envs),
    workingDir: config.workingDir || image.defaults.workingDir || input.ownDir,
    ownDir: input.ownDir,
    mounts: config.mounts.map((m) => ({ ...m })),
    mountNamespace: config.mounts.length > 0,
    createdPaths: [],
    pid: 0,
    pidStartTime: '',
  };
  if (switchesUser && sc?.runAsUser !== undefined) rec.runAsUser = sc.runAsUser;
  if (switchesUser && sc?.runAsGroup !== undefined) rec.runAsGroup = sc.runAsGroup;
  if (config.linux.resources !== undefined) rec.resources = { ...config.linux.resources };
  return rec;
}

/** True when `path` is inside (or is) one of the container's mount targets. */
export function insideMount(rec: Pick<ContainerRecord, 'mounts'>, path: string): boolean {
  return rec.mounts.some((m) => path === m.containerPath || path.startsWith(`${m.containerPath.replace(/\/+$/, '')}/`));
}
