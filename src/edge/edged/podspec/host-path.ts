// hostPath volumes: the host path itself, checked or created per spec.hostPath.type like kubelet's
// checkTypeInternal. FileOrCreate does not create parent directories (documented kubelet behaviour).
import { mkdir, open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  return stat(path).catch(() => undefined);
}

/** Returns the path, or throws an Error with kubelet's message. */
export async function setUpHostPath(path: string, type: string): Promise<string> {
  const st = await statOrUndefined(path);
  const fail = (what: string): never => { throw new Error(`hostPath type check failed: ${path} is not ${what}`); };
  switch (type) {
    case '':
      return path;
    case 'DirectoryOrCreate':
      if (!st) { await mkdir(path, { recursive: true, mode: 0o755 }); return path; }
      if (!st.isDirectory()) fail('a directory');
      return path;
    case 'Directory':
      if (!st?.isDirectory()) fail('a directory');
      return path;
    case 'FileOrCreate':
      if (!st) { await (await open(path, 'a', 0o644)).close(); return path; }
      if (!st.isFile()) fail('a file');
      return path;
    case 'File':
      if (!st?.isFile()) fail('a file');
      return path;
    case 'Socket':
      if (!st?.isSocket()) fail('a socket file');
      return path;
    case 'CharDevice':
      if (!st?.isCharacterDevice()) fail('a character device');
      return path;
    case 'BlockDevice':
      if (!st?.isBlockDevice()) fail('a block device');
      return path;
    default:
      throw new Error(`${type} is an invalid volume type`);
  }
}
