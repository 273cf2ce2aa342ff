// kubelet's AtomicWriter (pkg/volume/util/atomic_writer.go): a volume's files live in a timestamped
// directory `..2024_01_02_15_04_05.<rand>`; `..data` is a symlink to it, replaced by renaming a
// temporary symlink `..data_tmp` over it, so a reader sees the old or the new content, never a mix.
// Each top-level entry is a user-visible symlink `name -> ..data/name`. Unchanged payloads are not
// rewritten; the previous directory is removed after the swap.
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, stat, symlink, unlink, writeFile, chmod } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';

export interface FileProjection { data: Buffer; mode: number }
/** Relative path (may contain '/') -> content. */
export type Payload = Map<string, FileProjection>;

const dataDirName = '..data';
const dataDirTmpName = '..data_tmp';

/** Throws on absolute paths, '..' segments, or names starting with '..' (reserved for the writer). */
export function validatePayloadPath(path: string): void {
  const parts = path.split('/');
  if (path === '' || path.startsWith('/') || parts.some((p) => p === '..' || p === '' || p === '.')) {
    throw new Error(`invalid path ${JSON.stringify(path)}: must be relative and may not contain '..'`);
  }
  if (path.startsWith('..')) throw new Error(`invalid path ${JSON.stringify(path)}: may not start with '..'`);
}

function timestampPrefix(now: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `..${p(now.getUTCFullYear(), 4)}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}.`;
}

async function currentDataDir(targetDir: string): Promise<string | undefined> {
  try {
    return await readlink(join(targetDir, dataDirName));
  } catch {
    return undefined;
  }
}

/** Every file under dir as relative paths. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out;
}

async function sameContent(oldDir: string, payload: Payload): Promise<boolean> {
  const existing = await listFiles(oldDir).catch(() => undefined);
  if (!existing || existing.length !== payload.size) return false;
  for (const path of existing) {
    const want = payload.get(path);
    if (!want) return false;
    const [content, st] = await Promise.all([readFile(join(oldDir, path)), stat(join(oldDir, path))]);
    if (!content.equals(want.data) || (st.mode & 0o7777) !== want.mode) return false;
  }
  return true;
}

async function writePayload(dir: string, payload: Payload): Promise<void> {
  for (const [path, file] of payload) {
    const full = join(dir, path);
    await mkdir(dirname(full), { recursive: true, mode: 0o755 });
    await writeFile(full, file.data, { mode: file.mode });
    // writeFile's mode is filtered by the umask; kubelet chmods for the same reason.
    await chmod(full, file.mode);
  }
}

function topLevel(payload: Payload): Set<string> {
  return new Set([...payload.keys()].map((p) => p.split('/')[0] ?? p));
}

async function updateVisibleLinks(targetDir: string, payload: Payload): Promise<void> {
  const wanted = topLevel(payload);
  for (const name of wanted) {
    const link = join(targetDir, name);
    const exists = await lstat(link).then(() => true, () => false);
    if (!exists) await symlink(posix.join(dataDirName, name), link);
  }
  for (const name of await readdir(targetDir)) {
    if (name.startsWith('..') || wanted.has(name)) continue;
    const st = await lstat(join(targetDir, name));
    // Only our own links are removed: anything else in the dir is not the writer's.
    if (st.isSymbolicLink() && (await readlink(join(targetDir, name))).startsWith(`${dataDirName}/`)) await unlink(join(targetDir, name));
  }
}

/**
 * Makes targetDir hold exactly `payload`. Returns true when something was written.
 * Callers serialize writes to one targetDir (the temporary link name is fixed, as in kubelet).
 */
export async function writeAtomic(targetDir: string, payload: Payload, now: Date = new Date()): Promise<boolean> {
  for (const path of payload.keys()) validatePayloadPath(path);
  await mkdir(targetDir, { recursive: true, mode: 0o755 });
  const oldName = await currentDataDir(targetDir);
  if (oldName !== undefined && (await sameContent(join(targetDir, oldName), payload))) {
    await updateVisibleLinks(targetDir, payload);
    await removeStaleDataDirs(targetDir, oldName);
    return false;
  }
  const tsDir = await mkdtemp(join(targetDir, timestampPrefix(now)));
  try {
    await chmod(tsDir, 0o755);
    await writePayload(tsDir, payload);
    const tmpLink = join(targetDir, dataDirTmpName);
    await rm(tmpLink, { force: true });
    await symlink(posix.basename(tsDir), tmpLink);
    await rename(tmpLink, join(targetDir, dataDirName));
  } catch (err) {
    await rm(tsDir, { recursive: true, force: true });
    throw err;
  }
  await updateVisibleLinks(targetDir, payload);
  await removeStaleDataDirs(targetDir, posix.basename(tsDir));
  return true;
}

/** Removes the previous timestamped dir, and any left by a write that died before its swap. */
async function removeStaleDataDirs(targetDir: string, keep: string): Promise<void> {
  for (const name of await readdir(targetDir)) {
    if (name !== keep && /^\.\.\d{4}_\d\d_\d\d_/.test(name)) await rm(join(targetDir, name), { recursive: true, force: true });
  }
}
