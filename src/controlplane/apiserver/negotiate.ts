// Content negotiation. We speak JSON only, in the shapes kube-apiserver offers through Accept
// parameters: plain objects, meta.k8s.io Table (kubectl get), PartialObjectMetadata, and the aggregated
// discovery document (apidiscovery.k8s.io). Protobuf-only clients get 406.
import { errors } from '../errors.js';

export interface MediaRange {
  /** Lower-cased `type/subtype`. */
  mediaType: string;
  params: Record<string, string>;
}

export type ObjectFormat =
  | { kind: 'json' }
  | { kind: 'table'; version: 'v1' | 'v1beta1' }
  | { kind: 'metadata'; version: 'v1' | 'v1beta1' };

export type DiscoveryFormat = 'legacy' | 'v2' | 'v2beta1';

export const discoveryContentType = (version: 'v2' | 'v2beta1'): string =>
  `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;

/** Parses an Accept (or Content-Type) header into media ranges, in the client's order; q=0 entries dropped. */
export function parseMediaRanges(header: string | undefined): MediaRange[] {
  if (!header) return [];
  const ranges: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [type, ...rawParams] = part.split(';');
    const mediaType = (type ?? '').trim().toLowerCase();
    if (!mediaType) continue;
    const params: Record<string, string> = {};
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
    }
    if (params['q'] !== undefined && Number(params['q']) === 0) continue;
    ranges.push({ mediaType, params });
  }
  return ranges;
}

/** The bare media type of a Content-Type header ('' when absent). */
export function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

const jsonLike = new Set(['application/json', '*/*', 'application/*']);

function isPlainJson(r: MediaRange): boolean {
  return jsonLike.has(r.mediaType) && r.params['as'] === undefined;
}

function metaVersion(r: MediaRange): 'v1' | 'v1beta1' | undefined {
  if (r.mediaType !== 'application/json' || r.params['g'] !== 'meta.k8s.io') return undefined;
  const v = r.params['v'];
  return v === 'v1' || v === 'v1beta1' ? v : undefined;
}

const notAcceptable = () => errors.notAcceptable('only the following media types are accepted: application/json');

/**
 * The representation of objects for get/list/watch. `table` = whether the endpoint can answer a Table
 * (main resources; not subresources).
 */
export function negotiateObjectFormat(accept: string | undefined, table: boolean): ObjectFormat {
  const ranges = parseMediaRanges(accept);
  if (ranges.length === 0) return { kind: 'json' };
  for (const r of ranges) {
    if (isPlainJson(r)) return { kind: 'json' };
    const version = metaVersion(r);
    if (!version || !table) continue;
    const as = r.params['as'];
    if (as === 'Table') return { kind: 'table', version };
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return { kind: 'metadata', version };
  }
  throw notAcceptable();
}

/** Whether a plain JSON answer is acceptable (non-resource endpoints, writes). */
export function acceptsJson(accept: string | undefined): boolean {
  const ranges = parseMediaRanges(accept);
  return ranges.length === 0 || ranges.some(isPlainJson) || ranges.some((r) => r.mediaType === 'application/json');
}

export function requireJson(accept: string | undefined): void {
  if (!acceptsJson(accept)) throw notAcceptable();
}

/** Aggregated discovery (`/api`, `/apis`) when the client lists it before plain JSON. */
export function negotiateDiscovery(accept: string | undefined): DiscoveryFormat {
  const ranges = parseMediaRanges(accept);
  if (ranges.length === 0) return 'legacy';
  for (const r of ranges) {
    if (r.mediaType === 'application/json' && r.params['g'] === 'apidiscovery.k8s.io' && r.params['as'] === 'APIGroupDiscoveryList') {
      const v = r.params['v'];
      if (v === 'v2' || v === 'v2beta1') return v;
      continue;
    }
    if (isPlainJson(r)) return 'legacy';
  }
  throw notAcceptable();
}
