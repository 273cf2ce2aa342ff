// Decoding request bodies: objects for create/update (JSON or YAML), patches (by patch content type)
// and DeleteOptions. Malformed input becomes a 400 Status, an unsupported Content-Type a 415.
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../../api/index.js';
import { errors } from '../errors.js';
import { patchContentTypes, type PatchType } from '../objects/index.js';
import type { ResourceDef } from '../registry/index.js';
import { mediaTypeOf } from './negotiate.js';

const objectTypes = ['application/json', 'application/yaml'];

function unsupportedBody(accepted: readonly string[]): Error {
  return errors.unsupportedMediaType(
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw errors.badRequest(`${what}; json parse error: ${(e as Error).message}`);
  }
}

function parseYamlText(text: string, what: string): unknown {
  try {
    return parseYaml(text, { maxAliasCount: 100 }) as unknown;
  } catch (e) {
    throw errors.badRequest(`${what}; yaml parse error: ${(e as Error).message}`);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The body of a POST/PUT as an object. An empty Content-Type is read as JSON, as kube-apiserver does. */
export function decodeObject(body: Buffer, contentType: string | undefined): KubeObject {
  const type = mediaTypeOf(contentType) || 'application/json';
  if (!objectTypes.includes(type)) throw unsupportedBody(objectTypes);
  const text = body.toString('utf8');
  if (text.trim() === '') throw errors.badRequest("couldn't get version/kind; json parse error: unexpected end of JSON input");
  const value = type === 'application/yaml'
    ? parseYamlText(text, "couldn't get version/kind")
    : parseJson(text, "couldn't get version/kind");
  if (!isPlainObject(value)) throw errors.badRequest("couldn't get version/kind; the body is not a JSON object");
  const metadata = value['metadata'];
  if (metadata !== undefined && !isPlainObject(metadata)) throw errors.badRequest('metadata must be an object');
  return { ...value, metadata: metadata ?? {} };
}

/** Checks the body's apiVersion/kind against the endpoint and fills them in when absent (like the URL default GVK). */
export function checkKind(obj: KubeObject, def: ResourceDef, version: string): void {
  const expected = def.group ? `${def.group}/${version}` : version;
  if (obj.apiVersion !== undefined && obj.apiVersion !== '') {
    const [g, v] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/', 2) : ['', obj.apiVersion];
    if (g !== def.group || !v || !def.versions.includes(v)) {
      throw errors.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`);
    }
  } else {
    obj.apiVersion = expected;
  }
  if (obj.kind !== undefined && obj.kind !== '') {
    if (obj.kind !== def.kind) {
      throw errors.badRequest(`${obj.kind} in version "${version}" cannot be handled as a ${def.kind}: the kind does not match the resource "${def.resource}"`);
    }
  } else {
    obj.kind = def.kind;
  }
}

/** Maps a PATCH Content-Type to a patch type; strategic merge is refused for kinds without it (CRDs). */
export function patchTypeOf(contentType: string | undefined, def: ResourceDef): PatchType {
  const type = mediaTypeOf(contentType);
  const accepted = Object.keys(patchContentTypes)
    .filter((t) => t !== 'application/apply-patch+cbor')
    .filter((t) => def.strategicMerge || patchContentTypes[t] !== 'strategic');
  if (!accepted.includes(type)) throw unsupportedBody(accepted);
  const patchType = patchContentTypes[type];
  if (!patchType) throw unsupportedBody(accepted);
  return patchType;
}

export function decodePatch(body: Buffer, type: PatchType): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw errors.badRequest('the body of the patch is empty');
  if (type === 'apply') {
    const value = parseYamlText(text, 'error decoding YAML');
    if (!isPlainObject(value)) throw errors.badRequest('error decoding YAML: the apply patch must be an object');
    return value;
  }
  const value = parseJson(text, 'error decoding patch');
  if (type === 'json' && !Array.isArray(value)) {
    throw errors.badRequest('error decoding patch: a JSON patch must be an array of operations');
  }
  if (type !== 'json' && !isPlainObject(value)) {
    throw errors.badRequest(`error decoding patch: a ${type} merge patch must be a JSON object`);
  }
  return value;
}

/** The JSON body of a DELETE (DeleteOptions, Eviction), when there is one. */
export function decodeOptionalJson(body: Buffer, contentType: string | undefined): Record<string, unknown> | undefined {
  const text = body.toString('utf8');
  if (text.trim() === '') return undefined;
  const type = mediaTypeOf(contentType) || 'application/json';
  if (!objectTypes.includes(type)) throw unsupportedBody(objectTypes);
  const value = type === 'application/yaml' ? parseYamlText(text, "couldn't decode the options") : parseJson(text, "couldn't decode the options");
  if (!isPlainObject(value)) throw errors.badRequest("couldn't decode the options: the body is not a JSON object");
  return value;
}
