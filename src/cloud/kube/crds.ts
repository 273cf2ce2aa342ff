// Installs KubeEdge's CRDs (deploy/crds) into a real cluster when cloudcore runs with --kubeconfig,
// as `keadm init` does for KubeEdge: each CustomResourceDefinition that is missing is created; one
// that exists is left as it is (an operator may have installed a newer version).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../api/index.js';
import type { Logger } from '../../core/index.js';
import { KubeError, Resources, type KubeClient } from './types.js';

export interface EnsureCRDsResult {
  created: string[];
  existing: string[];
}

/** Reads every *.yaml / *.yml in `dir` (multi-document files too) and creates the missing CRDs. */
export async function ensureCRDs(client: KubeClient, dir: string, log: Logger): Promise<EnsureCRDsResult> {
  const result: EnsureCRDsResult = { created: [], existing: [] };
  for (const crd of await readCRDs(dir)) {
    const name = crd.metadata.name ?? '';
    if (await client.get(Resources.crds, null, name)) {
      result.existing.push(name);
      continue;
    }
    try {
      await client.create(Resources.crds, crd);
      result.created.push(name);
      log.info('crd created', { name });
    } catch (err) {
      // Another cloudcore may create it between our get and create.
      if (err instanceof KubeError && err.status === 409) result.existing.push(name);
      else throw err;
    }
  }
  return result;
}

export async function readCRDs(dir: string): Promise<KubeObject[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  const out: KubeObject[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(await readFile(join(dir, file), 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message ?? 'invalid YAML'}`);
      const obj = doc.toJS() as KubeObject | null;
      if (obj === null || typeof obj !== 'object') continue;
      if (obj.kind !== 'CustomResourceDefinition' || !obj.metadata?.name) continue;
      out.push(obj);
    }
  }
  return out;
}
