// The pod's volumes on disk, under <podDir>/volumes/<plugin>/<name> with kubelet's plugin dir names.
// configMap/secret/downwardAPI/projected content goes through the AtomicWriter so re-running setUp
// updates files in place. Kubelet backs secrets and Memory emptyDirs with tmpfs; here they are plain
// directories (edged may not mount), so secret bytes do touch the data dir's disk.
import { chmod, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PodConfigError } from '../pod-contracts.js';
import type { CreateVolumeManager, Json, Pod } from '../pod-contracts.js';
import { writeAtomic } from './atomic-writer.js';
import type { Payload } from './atomic-writer.js';
import { setUpHostPath } from './host-path.js';
import { num, obj, objs, str } from './json-fields.js';
import { createTokenCache } from './token-cache.js';
import { defaultFileMode, downwardPayload, objectPayload, projectedPayload } from './volume-sources.js';
import type { PayloadContext } from './volume-sources.js';

export const volumePluginDirs = {
  configMap: 'kubernetes.io~configmap',
  secret: 'kubernetes.io~secret',
  downwardAPI: 'kubernetes.io~downward-api',
  projected: 'kubernetes.io~projected',
  emptyDir: 'kubernetes.io~empty-dir',
} as const;
type PluginKind = keyof typeof volumePluginDirs;

/** Volume types whose content comes from the API; kubelet always mounts them read-only. */
export const apiVolumeTypes: readonly string[] = ['configMap', 'secret', 'downwardAPI', 'projected'];

function pluginOf(volume: Json): PluginKind | 'hostPath' | undefined {
  for (const kind of [...Object.keys(volumePluginDirs), 'hostPath'] as const) if (volume[kind] !== undefined) return kind as PluginKind | 'hostPath';
  return undefined;
}

/** Whether a volume (or one projected source) reads the named object. */
function volumeUses(volume: Json, type: 'configmap' | 'secret', name: string): boolean {
  if (type === 'configmap' && str(obj(volume['configMap'])['name']) === name) return true;
  if (type === 'secret' && str(obj(volume['secret'])['secretName']) === name) return true;
  const key = type === 'configmap' ? 'configMap' : 'secret';
  return objs(obj(volume['projected'])['sources']).some((s) => s[key] !== undefined && str(obj(s[key])['name']) === name);
}

export const createVolumeManager: CreateVolumeManager = (deps) => {
  const tokens = createTokenCache(deps.source);
  // Writes to one volume dir are serialized: the AtomicWriter's temporary link name is fixed.
  const queues = new Map<string, Promise<unknown>>();
  const serialized = <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const run = (queues.get(key) ?? Promise.resolve()).then(task, task);
    const tail = run.catch(() => undefined);
    queues.set(key, tail);
    void tail.then(() => { if (queues.get(key) === tail) queues.delete(key); });
    return run;
  };

  async function payloadFor(kind: PluginKind, volume: Json, ctx: PayloadContext): Promise<Payload> {
    const src = obj(volume[kind]);
    const defaultMode = num(src['defaultMode']) ?? defaultFileMode;
    if (kind === 'configMap') return objectPayload(ctx, 'configmap', src, defaultMode);
    if (kind === 'secret') return objectPayload(ctx, 'secret', src, defaultMode);
    if (kind === 'downwardAPI') return downwardPayload(ctx, src, defaultMode);
    return projectedPayload(ctx, src);
  }

  async function setUpOne(pod: Pod, volume: Json, name: string): Promise<string> {
    const kind = pluginOf(volume);
    if (kind === undefined) throw new Error(`unsupported volume type (only configMap, secret, downwardAPI, projected, emptyDir, hostPath)`);
    if (kind === 'hostPath') {
      const hp = obj(volume['hostPath']);
      return setUpHostPath(str(hp['path']) ?? '', str(hp['type']) ?? '');
    }
    const dir = join(deps.dirs.podDir(pod.metadata.uid), 'volumes', volumePluginDirs[kind], name);
    if (kind === 'emptyDir') {
      // kubelet makes emptyDirs 0777 so any container user can write.
      await mkdir(dir, { recursive: true });
      await chmod(dir, 0o777);
      return dir;
    }
    await serialized(dir, async () => {
      const payload = await payloadFor(kind, volume, { pod, source: deps.source, node: deps.node, tokens, targetDir: dir });
      await writeAtomic(dir, payload);
    });
    return dir;
  }

  return {
    async setUp(pod) {
      const paths = new Map<string, string>();
      let firstError: PodConfigError | undefined;
      // Every volume is attempted so one missing object does not stop updates to the others.
      for (const volume of objs(pod.spec['volumes'])) {
        const name = str(volume['name']) ?? '';
        try {
          if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) throw new Error('invalid volume name');
          paths.set(name, await setUpOne(pod, volume, name));
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          firstError ??= new PodConfigError('FailedMount', `MountVolume.SetUp failed for volume "${name}" : ${message}`);
        }
      }
      if (firstError) throw firstError;
      return paths;
    },
    uses(pod, type, namespace, name) {
      return pod.metadata.namespace === namespace && objs(pod.spec['volumes']).some((v) => volumeUses(v, type, name));
    },
    async tearDown(uid) {
      tokens.forget(uid);
      // rm does not follow symlinks, and hostPath volumes are never linked under the pod dir.
      await rm(deps.dirs.podDir(uid), { recursive: true, force: true });
    },
  };
};
