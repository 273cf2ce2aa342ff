// The process runtime has no images. An image catalog (<stateDir>/images.json) maps image references
// to the defaults an image would carry (entrypoint, cmd, env, workingDir); "*" matches any image.
// Without the file the catalog is { "*": {} }: every image is "present" and pods must say what to run.
// The file is read on every call, so an operator can edit it without restarting edgecore.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { RuntimeError, type Image, type ImageService } from '../types.js';

const imageDefaultsSchema = z.object({
  entrypoint: z.array(z.string()).optional(),
  cmd: z.array(z.string()).optional(),
  /** "K=V" entries, as in an OCI image config. */
  env: z.array(z.string()).optional(),
  workingDir: z.string().optional(),
});
const catalogSchema = z.record(z.string(), imageDefaultsSchema);

export type ImageDefaults = z.infer<typeof imageDefaultsSchema>;
export type ImageCatalog = Record<string, ImageDefaults>;

export const WILDCARD_IMAGE = '*';
export const DEFAULT_IMAGE_CATALOG: ImageCatalog = { [WILDCARD_IMAGE]: {} };
export const IMAGE_ID_PREFIX = 'process:';

export function imageCatalogPath(stateDir: string): string {
  return join(stateDir, 'images.json');
}

/** Writes the catalog atomically (tests and operators' tooling use this). */
export async function writeImageCatalog(stateDir: string, catalog: ImageCatalog): Promise<void> {
  const valid = catalogSchema.parse(catalog);
  await mkdir(stateDir, { recursive: true });
  const path = imageCatalogPath(stateDir);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(valid, null, 2)}\n`);
  await rename(tmp, path);
}

export async function readImageCatalog(stateDir: string): Promise<ImageCatalog> {
  const path = imageCatalogPath(stateDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_IMAGE_CATALOG;
    throw new RuntimeError('Unavailable', `cannot read the process runtime catalog ${path}`, { cause: err });
  }
  try {
    return catalogSchema.parse(JSON.parse(text));
  } catch (err) {
    throw new RuntimeError('FailedPrecondition', `the process runtime catalog ${path} is invalid: ${(err as Error).message}`, { cause: err });
  }
}

/** "busybox", "library/busybox:latest" and "docker.io/library/busybox:latest" name one image. */
export function normalizeImageRef(ref: string): string {
  let r = ref.trim();
  if (r.startsWith('docker.io/')) r = r.slice('docker.io/'.length);
  if (r.startsWith('library/')) r = r.slice('library/'.length);
  const lastPart = r.slice(r.lastIndexOf('/') + 1);
  if (!lastPart.includes(':') && !r.includes('@')) r = `${r}:latest`;
  return r;
}

export function processImageId(ref: string): string {
  return IMAGE_ID_PREFIX + createHash('sha256').update(ref).digest('hex');
}

/** The catalog entry for an image: an exact (normalized) match first, then "*". */
export function matchImage(catalog: ImageCatalog, ref: string): { key: string; defaults: ImageDefaults } | undefined {
  const want = normalizeImageRef(ref);
  for (const [key, defaults] of Object.entries(catalog)) {
    if (key !== WILDCARD_IMAGE && normalizeImageRef(key) === want) return { key, defaults };
  }
  const any = catalog[WILDCARD_IMAGE];
  return any === undefined ? undefined : { key: WILDCARD_IMAGE, defaults: any };
}

function toImage(ref: string): Image {
  return { id: processImageId(ref), repoTags: [ref], repoDigests: [], size: 0 };
}

/**
 * Image ids ('process:<sha256 of the ref>') seen by imageStatus/pullImage, so a container created with
 * the id instead of the name finds its catalog entry. Kept by the runtime's state.
 */
export interface KnownImages {
  get(id: string): string | undefined;
  remember(id: string, ref: string): void;
  all(): Array<[string, string]>;
}

export class CatalogImageService implements ImageService {
  constructor(private readonly stateDir: string, private readonly known: KnownImages) {}

  /** The reference an image name or id stands for. */
  refOf(image: string): string {
    return image.startsWith(IMAGE_ID_PREFIX) ? this.known.get(image) ?? image : image;
  }

  /** The catalog defaults for an image, or NotFound. */
  async defaultsFor(image: string): Promise<{ ref: string; id: string; key: string; defaults: ImageDefaults; catalogPath: string }> {
    const ref = this.refOf(image);
    const catalog = await readImageCatalog(this.stateDir);
    const hit = matchImage(catalog, ref);
    if (hit === undefined) throw this.notFound(ref);
    return { ref, id: processImageId(ref), key: hit.key, defaults: hit.defaults, catalogPath: imageCatalogPath(this.stateDir) };
  }

  async imageStatus(image: string): Promise<Image | undefined> {
    const ref = this.refOf(image);
    const hit = matchImage(await readImageCatalog(this.stateDir), ref);
    if (hit === undefined) return undefined;
    this.known.remember(processImageId(ref), ref);
    return toImage(ref);
  }

  async pullImage(image: string): Promise<string> {
    const found = await this.imageStatus(image);
    if (found === undefined) throw this.notFound(this.refOf(image));
    return found.id;
  }

  /** Named catalog entries, plus references "pulled" through "*". */
  async listImages(): Promise<Image[]> {
    const catalog = await readImageCatalog(this.stateDir);
    const refs = new Set(Object.keys(catalog).filter((k) => k !== WILDCARD_IMAGE));
    for (const [, ref] of this.known.all()) if (matchImage(catalog, ref)?.key === WILDCARD_IMAGE) refs.add(ref);
    return [...refs].sort().map(toImage);
  }

  /** Nothing to remove: images are catalog entries, which only the operator edits. */
  async removeImage(): Promise<void> {}

  private notFound(ref: string): RuntimeError {
    return new RuntimeError('NotFound', `image "${ref}" is not in the process runtime catalog ${imageCatalogPath(this.stateDir)}`);
  }
}
