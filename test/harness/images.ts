// Builds the two images the container tests run, without any registry: a pause image (a static C binary,
// test/fixtures/pause.c) and a busybox image (Debian's static busybox plus one symlink per applet). Each is
// an OCI layout made with umoci, tarred as an OCI archive whose index names the image in full
// (org.opencontainers.image.ref.name), which `ctr images import` keeps as the image name.
// Built once per recipe: the tars are cached under os.tmpdir()/kubeedge-ts-images-<hash>, made in a temp
// dir and renamed into place, so concurrent test files share one build and never see half a cache.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Containerd } from './containerd.js';
import { repoRoot } from './repo.js';

const run = promisify(execFile);

export interface TestImage { name: string; tar: string }
export interface TestImages { pause: TestImage; busybox: TestImage }

export const PAUSE_IMAGE = 'kubeedge-ts.local/pause:3.9';
export const BUSYBOX_IMAGE = 'kubeedge-ts.local/busybox:1.36';
/** Debian's busybox-static ships /bin/busybox (also /usr/bin/busybox on merged-/usr systems). */
const BUSYBOX_BIN = existsSync('/usr/bin/busybox') ? '/usr/bin/busybox' : '/bin/busybox';
const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Bump when the recipe below changes in a way the hash inputs do not show. */
const RECIPE_VERSION = '1';

async function sh(cmd: string, args: string[], cwd?: string): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 16 << 20 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${(e.stderr ?? '').trim() || e.message}`, { cause: err });
  }
}

function recipeHash(pauseSource: string): string {
  const bb = statSync(BUSYBOX_BIN);
  return createHash('sha256')
    .update(RECIPE_VERSION).update(PAUSE_IMAGE).update(BUSYBOX_IMAGE).update(pauseSource)
    .update(`${bb.size}:${bb.mtimeMs}`)
    .digest('hex').slice(0, 16);
}

/** umoci unpacks with real ownership as root; otherwise it must map everything to us. */
const rootless = (): string[] => (process.getuid?.() === 0 ? [] : ['--rootless']);

/** One image: a fresh layout, fill the rootfs, repack, set the config, name it, tar it. */
async function buildImage(work: string, name: string, fill: (rootfs: string) => Promise<void>, config: string[], tar: string): Promise<void> {
  const layout = join(work, 'oci');
  const bundle = join(work, 'bundle');
  await sh('umoci', ['init', '--layout', layout]);
  await sh('umoci', ['new', '--image', `${layout}:img`]);
  await sh('umoci', ['unpack', ...rootless(), '--image', `${layout}:img`, bundle]);
  await fill(join(bundle, 'rootfs'));
  await sh('umoci', ['repack', '--image', `${layout}:img`, bundle]);
  await sh('umoci', ['config', '--image', `${layout}:img`, '--author', 'kubeedge-ts tests', ...config]);
  await sh('umoci', ['gc', '--layout', layout]);
  // umoci tags are short names; give the index entry the full reference ctr and skopeo should see
  const indexFile = join(layout, 'index.json');
  const index = JSON.parse(readFileSync(indexFile, 'utf8')) as { manifests: { annotations?: Record<string, string> }[] };
  if (index.manifests.length !== 1) throw new Error(`expected one manifest in ${indexFile}, got ${index.manifests.length}`);
  for (const m of index.manifests) m.annotations = { 'org.opencontainers.image.ref.name': name };
  writeFileSync(indexFile, JSON.stringify(index));
  await sh('tar', ['-C', layout, '-cf', tar, '.']);
}

async function fillPause(rootfs: string, work: string): Promise<void> {
  const bin = join(work, 'pause');
  await sh('gcc', ['-static', '-O2', '-s', '-o', bin, join(repoRoot(), 'test/fixtures/pause.c')]);
  copyFileSync(bin, join(rootfs, 'pause'));
  chmodSync(join(rootfs, 'pause'), 0o755);
}

async function fillBusybox(rootfs: string): Promise<void> {
  for (const d of ['bin', 'etc', 'tmp', 'root', 'proc', 'sys', 'dev']) mkdirSync(join(rootfs, d), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  copyFileSync(BUSYBOX_BIN, join(rootfs, 'bin/busybox'));
  chmodSync(join(rootfs, 'bin/busybox'), 0o755);
  const applets = (await sh(BUSYBOX_BIN, ['--list'])).split('\n').map((a) => a.trim()).filter((a) => a && a !== 'busybox');
  for (const applet of applets) {
    if (!/^[\w.[\]-]+$/.test(applet)) continue; // never a path
    symlinkSync('busybox', join(rootfs, 'bin', applet));
  }
  writeFileSync(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
  writeFileSync(join(rootfs, 'etc/group'), 'root:x:0:\nnobody:x:65534:\n');
}

function imagesOf(dir: string): TestImages {
  return {
    pause: { name: PAUSE_IMAGE, tar: join(dir, 'pause.tar') },
    busybox: { name: BUSYBOX_IMAGE, tar: join(dir, 'busybox.tar') },
  };
}

/** Builds (or reuses) the pause and busybox image archives. */
export async function buildTestImages(): Promise<TestImages> {
  const pauseSource = readFileSync(join(repoRoot(), 'test/fixtures/pause.c'), 'utf8');
  const cache = join(tmpdir(), `kubeedge-ts-images-${recipeHash(pauseSource)}`);
  const images = imagesOf(cache);
  if (existsSync(images.pause.tar) && existsSync(images.busybox.tar)) return images;
  const work = mkdtempSync(`${cache}.tmp-`);
  try {
    const out = join(work, 'out');
    mkdirSync(out);
    const built = imagesOf(out);
    const pauseWork = join(work, 'pause-build');
    mkdirSync(pauseWork);
    await buildImage(pauseWork, PAUSE_IMAGE, (rootfs) => fillPause(rootfs, pauseWork), ['--config.entrypoint', '/pause'], built.pause.tar);
    const bbWork = join(work, 'busybox-build');
    mkdirSync(bbWork);
    await buildImage(bbWork, BUSYBOX_IMAGE, fillBusybox, ['--config.env', PATH_ENV, '--config.cmd', 'sh'], built.busybox.tar);
    try {
      renameSync(out, cache);
    } catch (err) {
      // another process won the race: its cache is complete (rename is atomic), use it
      if (!(existsSync(images.pause.tar) && existsSync(images.busybox.tar))) throw err;
    }
    return images;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Imports both archives into the k8s.io namespace (where the CRI plugin looks) and checks the names. */
export async function importImages(containerd: Containerd, images: TestImages): Promise<void> {
  for (const image of [images.pause, images.busybox]) {
    // --all-platforms: never drop our single manifest on a platform-matching detail (umoci's index
    // entry carries no platform field; the config says linux/<arch>)
    await containerd.ctr(['images', 'import', '--all-platforms', image.tar], { timeoutMs: 120_000 });
  }
  const listed = (await containerd.ctr(['images', 'ls', '-q'])).split('\n');
  for (const image of [images.pause, images.busybox]) {
    if (!listed.includes(image.name)) throw new Error(`image ${image.name} missing after import; ctr lists: ${listed.join(', ')}`);
  }
}
