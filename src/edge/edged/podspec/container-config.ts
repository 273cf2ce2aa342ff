// ContainerConfig as kubelet's generateContainerConfig builds it, and the container spec hash that
// tells the sync loop a container must be restarted because its spec changed.
import { createHash } from 'node:crypto';
import { totalmem } from 'node:os';
import type { ContainerConfig } from '../../runtime/types.js';
import { RuntimeAnnotations, RuntimeLabels } from '../../runtime/types.js';
import type { BuildContainerConfig, ContainerConfigInput, ContainerSpecHash, Pod } from '../pod-contracts.js';
import { expandCommand } from './expansion.js';
import { num, obj, str } from './json-fields.js';
import { linuxResources } from './resources.js';

export const containerPortsAnnotation = 'io.kubernetes.container.ports';
export const defaultTerminationMessagePath = '/dev/termination-log';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.keys(value).sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** sha256 of the spec as canonical JSON (sorted keys), first 8 hex digits. */
export const containerSpecHash: ContainerSpecHash = (container) =>
  createHash('sha256').update(JSON.stringify(canonical(container))).digest('hex').slice(0, 8);

/** Pod-level runAsUser/runAsGroup apply unless the container sets its own (DetermineEffectiveSecurityContext). */
function securityContext(pod: Pod, container: ContainerConfigInput['container']): ContainerConfig['linux']['securityContext'] {
  const podSc = obj(pod.spec['securityContext']);
  const sc = obj(container['securityContext']);
  const out: NonNullable<ContainerConfig['linux']['securityContext']> = {};
  if (sc['privileged'] === true) out.privileged = true;
  const user = num(sc['runAsUser']) ?? num(podSc['runAsUser']);
  const group = num(sc['runAsGroup']) ?? num(podSc['runAsGroup']);
  if (user !== undefined) out.runAsUser = user;
  if (group !== undefined) out.runAsGroup = group;
  if (sc['readOnlyRootFilesystem'] === true) out.readonlyRootfs = true;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The config; `memoryCapacity` (bytes) defaults to this machine's, as kubelet uses machineInfo. */
export function containerConfig(input: ContainerConfigInput, memoryCapacity: number = totalmem()): ContainerConfig {
  const { pod, container } = input;
  const { command, args } = expandCommand(container, input.env);
  const annotations: Record<string, string> = {
    [RuntimeAnnotations.restartCount]: String(input.restartCount),
    [RuntimeAnnotations.containerHash]: containerSpecHash(container),
    [RuntimeAnnotations.terminationGracePeriod]: String(num(pod.spec['terminationGracePeriodSeconds']) ?? 30),
    [RuntimeAnnotations.terminationMessagePath]: str(container['terminationMessagePath']) ?? defaultTerminationMessagePath,
    [RuntimeAnnotations.containerType]: input.kind,
  };
  if (Array.isArray(container['ports']) && container['ports'].length > 0) annotations[containerPortsAnnotation] = JSON.stringify(container['ports']);
  const sc = securityContext(pod, container);
  return {
    metadata: { name: container.name, attempt: input.attempt },
    image: input.image,
    command,
    args,
    workingDir: str(container['workingDir']) ?? '',
    envs: input.env,
    mounts: input.mounts,
    labels: {
      [RuntimeLabels.podName]: pod.metadata.name,
      [RuntimeLabels.podNamespace]: pod.metadata.namespace,
      [RuntimeLabels.podUid]: pod.metadata.uid,
      [RuntimeLabels.containerName]: container.name,
      [RuntimeLabels.managedBy]: input.managedBy,
    },
    annotations,
    logPath: `${container.name}/${input.attempt}.log`,
    stdin: container['stdin'] === true,
    stdinOnce: container['stdinOnce'] === true,
    tty: container['tty'] === true,
    linux: {
      resources: linuxResources(pod, container, memoryCapacity),
      ...(sc ? { securityContext: sc } : {}),
    },
  };
}

export const buildContainerConfig: BuildContainerConfig = (input) => containerConfig(input);
