import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CatalogImageService, imageCatalogPath, matchImage, normalizeImageRef, processImageId, readImageCatalog, writeImageCatalog, type KnownImages } from './image-catalog.js';
import { buildEnv, DEFAULT_PATH, resolveArgv } from './launch-plan.js';

const dirs: string[] = [];
after(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });
const tmp = async () => { const d = await mkdtemp(join(tmpdir(), 'process-catalog-')); dirs.push(d); return d; };
const memory = (): KnownImages => {
  const m = new Map<string, string>();
  return { get: (id) => m.get(id), remember: (id, ref) => void m.set(id, ref), all: () => [...m] };
};

test('without a catalog file every image is present ("*": {})', async () => {
  const dir = await tmp();
  assert.deepEqual(await readImageCatalog(dir), { '*': {} });
  const images = new CatalogImageService(dir, memory());
  const img = await images.imageStatus('anything/at:all');
  assert.equal(img?.id, processImageId('anything/at:all'));
  assert.match(img?.id ?? '', /^process:[0-9a-f]{64}$/);
  assert.equal(await images.pullImage('anything/at:all'), img?.id);
  assert.deepEqual((await images.listImages()).map((i) => i.repoTags), [['anything/at:all']]);
});

test('a catalog without "*" knows only its entries; pulling another image is NotFound naming the file', async () => {
  const dir = await tmp();
  await writeImageCatalog(dir, { 'docker.io/library/nginx:1.25': { entrypoint: ['/usr/sbin/nginx'], cmd: ['-g', 'daemon off;'] } });
  const images = new CatalogImageService(dir, memory());
  assert.ok(await images.imageStatus('nginx:1.25'), 'short name matches the normalized entry');
  assert.equal(await images.imageStatus('redis'), undefined);
  await assert.rejects(images.pullImage('redis'), (err: Error & { code?: string }) =>
    err.code === 'NotFound' && err.message === `image "redis" is not in the process runtime catalog ${imageCatalogPath(dir)}`);
  assert.deepEqual((await images.listImages()).map((i) => i.repoTags[0]), ['docker.io/library/nginx:1.25']);
  await images.removeImage();
});

test('an image id from a pull leads back to the catalog entry', async () => {
  const dir = await tmp();
  await writeImageCatalog(dir, { app: { cmd: ['run-app'] } });
  const images = new CatalogImageService(dir, memory());
  const id = await images.pullImage('app');
  const found = await images.defaultsFor(id);
  assert.equal(found.ref, 'app');
  assert.deepEqual(found.defaults.cmd, ['run-app']);
});

test('an invalid catalog is FailedPrecondition', async () => {
  const dir = await tmp();
  const { writeFile } = await import('node:fs/promises');
  await writeFile(imageCatalogPath(dir), '{"x": {"cmd": "not-an-array"}}');
  await assert.rejects(readImageCatalog(dir), (err: Error & { code?: string }) => err.code === 'FailedPrecondition');
});

test('references normalize like Docker names', () => {
  assert.equal(normalizeImageRef('busybox'), 'busybox:latest');
  assert.equal(normalizeImageRef('docker.io/library/busybox:1.36'), 'busybox:1.36');
  assert.equal(normalizeImageRef('localhost:5000/app'), 'localhost:5000/app:latest');
  assert.equal(matchImage({ 'busybox:latest': {}, '*': { cmd: ['x'] } }, 'docker.io/busybox')?.key, 'busybox:latest');
  assert.equal(matchImage({ '*': { cmd: ['x'] } }, 'other')?.key, '*');
  assert.equal(matchImage({ a: {} }, 'b'), undefined);
});

test('command replaces entrypoint and drops cmd; args replace cmd (Docker/CRI rules)', () => {
  const image = { entrypoint: ['/entry'], cmd: ['--default'] };
  assert.deepEqual(resolveArgv([], [], image), ['/entry', '--default']);
  assert.deepEqual(resolveArgv([], ['--mine'], image), ['/entry', '--mine']);
  assert.deepEqual(resolveArgv(['/cmd'], [], image), ['/cmd']);
  assert.deepEqual(resolveArgv(['/cmd'], ['a'], image), ['/cmd', 'a']);
  assert.deepEqual(resolveArgv([], [], {}), []);
});

test('env: image env, then container envs winning, PATH added when missing', () => {
  assert.deepEqual(buildEnv(['A=1', 'B=2'], [{ key: 'B', value: '3' }, { key: 'C', value: 'x=y' }]), ['A=1', 'B=3', 'C=x=y', `PATH=${DEFAULT_PATH}`]);
  assert.deepEqual(buildEnv(['PATH=/opt/bin'], []), ['PATH=/opt/bin']);
});
