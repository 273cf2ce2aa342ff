// Docker image references (distribution/reference grammar) as kubelet parses them before a pull:
// a bad name is InvalidImageName; names without a registry are docker.io, one-part names library/.

const alnum = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alnum}(?:${separator}${alnum})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const host = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])`;
const domain = `${host}(?::[0-9]+)?`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const referencePattern = new RegExp(`^((?:${domain}/)?${pathComponent}(?:/${pathComponent})*)(?::(${tag}))?(?:@(${digest}))?$`);

export interface ImageReference {
  /** Registry host[:port], docker.io for Docker Hub. */
  domain: string;
  /** Repository path inside the registry (library/busybox). */
  path: string;
  tag?: string;
  digest?: string;
}

export const dockerHubDomain = 'docker.io';

function splitDomain(name: string): { domain: string; path: string } {
  const i = name.indexOf('/');
  const first = i < 0 ? '' : name.slice(0, i);
  if (i < 0 || (!first.includes('.') && !first.includes(':') && first !== 'localhost' && first.toLowerCase() === first)) {
    return { domain: dockerHubDomain, path: i < 0 ? `library/${name}` : name };
  }
  const domain = first === 'index.docker.io' ? dockerHubDomain : first;
  const path = name.slice(i + 1);
  return { domain, path: domain === dockerHubDomain && !path.includes('/') ? `library/${path}` : path };
}

/** Parses an image reference; throws Error with distribution's message when it is not one. */
export function parseImageReference(image: string): ImageReference {
  if (image === '') throw new Error('repository name must have at least one component');
  if (/^[a-f0-9]{64}$/.test(image)) throw new Error(`invalid repository name (${image}), cannot specify 64-byte hexadecimal strings`);
  const m = referencePattern.exec(image);
  if (!m) {
    throw new Error(referencePattern.test(image.toLowerCase()) ? 'repository name must be lowercase' : 'invalid reference format');
  }
  const [, name = '', t, d] = m;
  const { domain: dom, path } = splitDomain(name);
  if (path.toLowerCase() !== path) throw new Error('repository name must be lowercase');
  if (name.length > 255) throw new Error('repository name must not be more than 255 characters');
  return { domain: dom, path, ...(t ? { tag: t } : {}), ...(d ? { digest: d } : {}) };
}

/** The InvalidImageName message kubelet would give, or undefined for a valid image. */
export function validateImageName(image: string): string | undefined {
  try {
    parseImageReference(image);
    return undefined;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return `Failed to apply default image tag "${image}": couldn't parse image name "${image}": ${reason}`;
  }
}
