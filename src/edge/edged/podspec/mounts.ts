// Container mounts as kubelet's makeMounts builds them: volumeMounts (subPath, subPathExpr,
// readOnly, propagation), the per-instance termination-message file, and a managed /etc/hosts for
// pod-network pods whose IP is known.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, isAbsolute, sep } from 'node:path';
import type { KeyValue, Mount, MountPropagation } from '../../runtime/types.js';
import { PodConfigError } from '../pod-contracts.js';
import type { Pod, PodContainer, PodDirs } from '../pod-contracts.js';
import { envMap, expand } from './expansion.js';
import { staticEnv } from './static-env.js';
import { obj, objs, str } from './json-fields.js';
import { apiVolumeTypes } from './volumes.js';
import { etcHostsContent } from './etc-hosts.js';

export interface MountOptions {
  /** The container's resolved env, for subPathExpr; without it only literal and metadata fieldRef env is known. */
  env?: KeyValue[];
  /** Pod IPs (sandbox status); with them a managed /etc/hosts is mounted for pod-network pods. */
  podIPs?: string[];
}

function configError(message: string): PodConfigError {
  return new PodConfigError('CreateContainerConfigError', message);
}

const propagations: Record<string, MountPropagation> = { None: 'private', HostToContainer: 'hostToContainer', Bidirectional: 'bidirectional' };

/** kubelet ExpandContainerVolumeMounts: every referenced variable must have a non-empty value. */
function expandSubPathExpr(expr: string, env: Map<string, string>, mountName: string): string {
  const missing = new Set<string>();
  const out = expand(expr, (key) => {
    const v = env.get(key);
    if (!v) missing.add(key);
    return v ?? '';
  });
  if (missing.size > 0) throw configError(`failed to prepare subPath for volumeMount "${mountName}": missing value for ${[...missing].sort().join(', ')}`);
  return out;
}

/** The subPath's host path; created as a directory when missing, and never outside the volume. */
function subPathHostPath(volumePath: string, subPath: string, mountName: string, container: string): string {
  if (isAbsolute(subPath) || subPath.split('/').includes('..')) {
    throw configError(`subPath "${subPath}" of volumeMount "${mountName}" in container "${container}" must be a relative path without '..'`);
  }
  const hostPath = join(volumePath, subPath);
  let rel: string;
  try {
    if (!statSync(hostPath, { throwIfNoEntry: false })) mkdirSync(hostPath, { recursive: true, mode: 0o755 });
    // A container could have planted a symlink in a writable volume pointing out of it.
    rel = relative(realpathSync(volumePath), realpathSync(hostPath));
  } catch (err) {
    throw configError(`failed to prepare subPath "${subPath}" of volumeMount "${mountName}": ${err instanceof Error ? err.message : String(err)}`);
  }
  if (rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) throw configError(`subPath "${subPath}" of volumeMount "${mountName}" points outside the volume`);
  return hostPath;
}

function terminationLogMount(pod: Pod, container: PodContainer, dirs: PodDirs): Mount | undefined {
  const path = str(container['terminationMessagePath']) ?? '/dev/termination-log';
  if (path === '') return undefined;
  const dir = join(dirs.podDir(pod.metadata.uid), 'containers', container.name);
  mkdirSync(dir, { recursive: true, mode: 0o750 });
  // One file per container instance (kubelet: makeUID, 8 hex digits); world-writable for any user.
  const file = join(dir, randomBytes(4).toString('hex'));
  writeFileSync(file, '');
  chmodSync(file, 0o666);
  return { containerPath: path, hostPath: file, readonly: false };
}

export function containerMounts(pod: Pod, container: PodContainer, volumes: Map<string, string>, dirs: PodDirs, opts: MountOptions = {}): Mount[] {
  const volumeSpecs = new Map(objs(pod.spec['volumes']).map((v) => [str(v['name']) ?? '', v] as const));
  const privileged = obj(container['securityContext'])['privileged'] === true;
  const mounts: Mount[] = [];
  let env: Map<string, string> | undefined;
  for (const vm of objs(container['volumeMounts'])) {
    const name = str(vm['name']) ?? '';
    const containerPath = str(vm['mountPath']) ?? '';
    const volumePath = volumes.get(name);
    if (volumePath === undefined) throw configError(`cannot find volume "${name}" to mount into container "${container.name}"`);
    const propagation = propagations[str(vm['mountPropagation']) ?? 'None'] ?? 'private';
    if (propagation === 'bidirectional' && !privileged) throw configError('Bidirectional mount propagation is available only to privileged containers');
    let subPath = str(vm['subPath']) ?? '';
    const expr = str(vm['subPathExpr']) ?? '';
    if (expr !== '') {
      env ??= opts.env ? envMap(opts.env) : staticEnv(pod, container);
      subPath = expandSubPathExpr(expr, env, name);
    }
    const hostPath = subPath === '' ? volumePath : subPathHostPath(volumePath, subPath, name, container.name);
    const spec = volumeSpecs.get(name) ?? {};
    // kubelet mounts API-backed volumes read-only whatever the volumeMount says.
    const readonly = vm['readOnly'] === true || apiVolumeTypes.some((t) => spec[t] !== undefined);
    mounts.push({ containerPath, hostPath, readonly, ...(propagation !== 'private' ? { propagation } : {}) });
  }
  const hasHosts = mounts.some((m) => m.containerPath === '/etc/hosts');
  const ips = opts.podIPs?.filter((ip) => ip !== '') ?? [];
  if (!hasHosts && pod.spec['hostNetwork'] !== true && ips.length > 0) {
    const file = join(dirs.podDir(pod.metadata.uid), 'etc-hosts');
    mkdirSync(dirs.podDir(pod.metadata.uid), { recursive: true });
    writeFileSync(file, etcHostsContent(pod, ips), { mode: 0o644 });
    mounts.push({ containerPath: '/etc/hosts', hostPath: file, readonly: false });
  }
  const termination = terminationLogMount(pod, container, dirs);
  if (termination) mounts.push(termination);
  return mounts;
}
