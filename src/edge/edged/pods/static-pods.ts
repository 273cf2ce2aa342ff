// Static pods (kubelet file source): one pod per YAML or JSON file in a directory, run on this node
// without the cloud. Like kubelet: the name gets "-<nodeName>", the namespace defaults to "default",
// and the uid is a hash of the file, so an edit replaces the pod. They are not reported upstream
// (kubelet would create mirror pods; we do not): status and events stay on the node.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { Logger } from '../../../core/index.js';
import type { Pod } from '../pod-contracts.js';
import { asPod } from './pod-fields.js';

export const STATIC_POD_POLL_MS = 5000;
const MANIFEST = /\.(ya?ml|json)$/i;

/** The pods the directory describes now (unreadable or invalid files are logged and skipped). */
export async function readStaticPods(dir: string, nodeName: string, log: Logger): Promise<Pod[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => MANIFEST.test(n) && !n.startsWith('.')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn('static pod dir unreadable', { dir, error: (err as Error).message });
    return [];
  }
  const pods: Pod[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const text = await readFile(file, 'utf8');
      const pod = staticPod(parse(text) as unknown, text, file, nodeName);
      if (pod === undefined) log.warn('static pod invalid', { file });
      else pods.push(pod);
    } catch (err) {
      log.warn('static pod invalid', { file, error: (err as Error).message });
    }
  }
  return pods;
}

export function staticPod(doc: unknown, text: string, file: string, nodeName: string): Pod | undefined {
  if (typeof doc !== 'object' || doc === null || (doc as Record<string, unknown>)['kind'] !== 'Pod') return undefined;
  const uidHex = createHash('sha256').update(`${nodeName}\n${file}\n${text}`).digest('hex');
  const uid = `${uidHex.slice(0, 8)}-${uidHex.slice(8, 12)}-${uidHex.slice(12, 16)}-${uidHex.slice(16, 20)}-${uidHex.slice(20, 32)}`;
  const obj = doc as Record<string, unknown>;
  const meta = (typeof obj['metadata'] === 'object' && obj['metadata'] !== null ? obj['metadata'] : {}) as Record<string, unknown>;
  if (typeof meta['name'] !== 'string' || meta['name'] === '') return undefined;
  const annotations = { ...(meta['annotations'] as Record<string, string> | undefined), 'kubernetes.io/config.source': 'file', 'kubernetes.io/config.hash': uid };
  return asPod({
    ...obj,
    metadata: { ...meta, name: `${meta['name']}-${nodeName}`, namespace: meta['namespace'] ?? 'default', uid, annotations },
    spec: { ...(obj['spec'] as Record<string, unknown> | undefined), nodeName },
  });
}
