import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, readlink, rm, stat, lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAtomic } from './atomic-writer.js';
import type { Payload } from './atomic-writer.js';

const file = (text: string, mode = 0o644): { data: Buffer; mode: number } => ({ data: Buffer.from(text), mode });

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'podspec-aw-'));
  try { await fn(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

test('kubelet layout: ..data -> timestamped dir, key -> ..data/key, nested paths as subdirs', () => withDir(async (dir) => {
  const payload: Payload = new Map([['app.conf', file('a=1')], ['sub/dir/x.txt', file('x', 0o600)]]);
  assert.equal(await writeAtomic(dir, payload, new Date(Date.UTC(2024, 0, 2, 3, 4, 5))), true);
  const entries = (await readdir(dir)).sort();
  assert.equal(entries.length, 4);
  const [tsDir] = entries.filter((e) => e.startsWith('..2'));
  assert.match(tsDir ?? '', /^\.\.2024_01_02_03_04_05\.\w+$/);
  assert.deepEqual(entries.filter((e) => !e.startsWith('..2')), ['..data', 'app.conf', 'sub']);
  assert.equal(await readlink(join(dir, '..data')), tsDir);
  assert.equal(await readlink(join(dir, 'app.conf')), '..data/app.conf');
  assert.equal(await readlink(join(dir, 'sub')), '..data/sub');
  assert.equal(await readFile(join(dir, 'app.conf'), 'utf8'), 'a=1');
  assert.equal(await readFile(join(dir, 'sub/dir/x.txt'), 'utf8'), 'x');
  assert.equal((await stat(join(dir, 'sub/dir/x.txt'))).mode & 0o777, 0o600);
  assert.equal((await stat(join(dir, 'app.conf'))).mode & 0o777, 0o644);
}));

test('update in place: new content swapped in, removed keys unlinked, no leftovers', () => withDir(async (dir) => {
  await writeAtomic(dir, new Map([['a', file('1')], ['b', file('2')]]));
  const first = await readlink(join(dir, '..data'));
  await writeAtomic(dir, new Map([['a', file('1-new')], ['c', file('3')]]));
  const second = await readlink(join(dir, '..data'));
  assert.notEqual(first, second);
  assert.deepEqual((await readdir(dir)).sort(), [second, '..data', 'a', 'c'].sort());
  assert.equal(await readFile(join(dir, 'a'), 'utf8'), '1-new');
  assert.equal(await readFile(join(dir, 'c'), 'utf8'), '3');
  assert.deepEqual((await readdir(join(dir, second))).sort(), ['a', 'c']);
}));

test('unchanged content is not rewritten; a mode change is a change', () => withDir(async (dir) => {
  const payload: Payload = new Map([['k', file('v')]]);
  await writeAtomic(dir, payload);
  const first = await readlink(join(dir, '..data'));
  const inode = (await lstat(join(dir, '..data'))).ino;
  assert.equal(await writeAtomic(dir, new Map([['k', file('v')]])), false);
  assert.equal(await readlink(join(dir, '..data')), first);
  assert.equal((await lstat(join(dir, '..data'))).ino, inode);
  assert.equal(await writeAtomic(dir, new Map([['k', file('v', 0o400)]])), true);
  assert.notEqual(await readlink(join(dir, '..data')), first);
}));

test('empty payload leaves only ..data and its dir; invalid paths are refused without leftovers', () => withDir(async (dir) => {
  await writeAtomic(dir, new Map([['a', file('1')]]));
  await writeAtomic(dir, new Map());
  const entries = await readdir(dir);
  assert.equal(entries.length, 2);
  assert.ok(entries.includes('..data'));
  for (const bad of ['../escape', '/abs', '..hidden', 'a/../b', '']) {
    await assert.rejects(writeAtomic(dir, new Map([[bad, file('x')]])), /invalid path/);
  }
  assert.equal((await readdir(dir)).length, 2);
}));
