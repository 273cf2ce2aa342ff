// Reads our CustomResourceDefinitions from deploy/crds/*.yaml (the same files `kubectl apply -f
// deploy/crds/` installs into a real cluster) so that the embedded control plane installs them at start.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { isKubeObject, type KubeObject } from '../../api/index.js';

/** The nearest folder at or above `from` that holds a package.json (the repository root). */
export function findPackageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
}

export function defaultCRDDir(): string {
  return join(findPackageRoot(), 'deploy', 'crds');
}

/** Parses every YAML document of one file; `source` names the file in errors. */
export function parseCRDDocuments(text: string, source: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0]?.message ?? 'invalid YAML'}`);
    // JSON round trip: plain data, no shared subtrees from YAML aliases.
    const value: unknown = JSON.parse(JSON.stringify(doc.toJS() ?? null));
    if (value === null) continue;
    if (!isKubeObject(value) || value.kind !== 'CustomResourceDefinition') {
      throw new Error(`${source}: expected a CustomResourceDefinition`);
    }
    out.push(value);
  }
  return out;
}

/** Every CRD in `dir` (default: the package's deploy/crds), in file-name order. */
export function loadBundledCRDs(dir: string = defaultCRDDir()): KubeObject[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  return files.flatMap((file) => parseCRDDocuments(readFileSync(join(dir, file), 'utf8'), file));
}
