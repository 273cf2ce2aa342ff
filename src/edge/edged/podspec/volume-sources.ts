// Payloads (file path -> bytes + mode) of the API-backed volumes: configMap, secret, downwardAPI and
// projected, as kubelet's MakePayload / CollectData build them. Errors are plain Errors carrying
// kubelet's messages; the volume manager turns them into FailedMount.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Json, NodeFacts, ObjectSource, Pod } from '../pod-contracts.js';
import type { FileProjection, Payload } from './atomic-writer.js';
import { containerResourceValue, podFieldValue } from './field-refs.js';
import { num, obj, objs, str } from './json-fields.js';
import { configMapFiles, secretFiles } from './object-data.js';
import type { ServiceAccountTokens } from './token-cache.js';

/** 0644, the API default of defaultMode for configMap, secret, downwardAPI and projected volumes. */
export const defaultFileMode = 0o644;

export interface PayloadContext {
  pod: Pod;
  source: ObjectSource;
  node: NodeFacts;
  tokens: ServiceAccountTokens;
  /** The volume's directory, to keep a token already written when a new one cannot be had. */
  targetDir: string;
}

type Kind = 'configmap' | 'secret';

async function getObject(ctx: PayloadContext, kind: Kind, name: string): Promise<Json | undefined> {
  const ns = ctx.pod.metadata.namespace;
  return kind === 'configmap' ? ctx.source.configMap(ns, name) : ctx.source.secret(ns, name);
}

/** kubelet configmap/secret MakePayload: all keys with defaultMode, or the listed items. */
function keysPayload(kind: Kind, files: Map<string, Buffer>, items: Json[], defaultMode: number, optional: boolean): Payload {
  const payload: Payload = new Map();
  if (items.length === 0) {
    for (const [key, data] of files) payload.set(key, { data, mode: defaultMode });
    return payload;
  }
  for (const item of items) {
    const key = str(item['key']) ?? '';
    const data = files.get(key);
    if (!data) {
      if (optional) continue;
      throw new Error(kind === 'configmap' ? `configmap references non-existent config key: ${key}` : `references non-existent secret key: ${key}`);
    }
    payload.set(str(item['path']) ?? key, { data, mode: num(item['mode']) ?? defaultMode });
  }
  return payload;
}

/** A configMap or secret volume source (or projected source); empty when missing and optional. */
export async function objectPayload(ctx: PayloadContext, kind: Kind, src: Json, defaultMode: number): Promise<Payload> {
  const name = str(kind === 'configmap' ? src['name'] : src['secretName'] ?? src['name']) ?? '';
  const optional = src['optional'] === true;
  const found = await getObject(ctx, kind, name);
  if (!found) {
    if (optional) return new Map();
    throw new Error(`${kind} "${name}" not found`);
  }
  const files = kind === 'configmap' ? configMapFiles(found) : secretFiles(found);
  return keysPayload(kind, files, objs(src['items']), defaultMode, optional);
}

/** kubelet downwardapi CollectData. */
export function downwardPayload(ctx: PayloadContext, src: Json, defaultMode: number): Payload {
  const status = obj(ctx.pod.status);
  const podIP = str(status['podIP']) ?? '';
  const podIPs = objs(status['podIPs']).map((p) => str(p['ip']) ?? '').filter((ip) => ip !== '');
  const payload: Payload = new Map();
  for (const item of objs(src['items'])) {
    const path = str(item['path']) ?? '';
    const mode = num(item['mode']) ?? defaultMode;
    let value: string;
    if (item['fieldRef'] !== undefined) {
      value = podFieldValue(ctx.pod, str(obj(item['fieldRef'])['fieldPath']) ?? '', { node: ctx.node, podIP, podIPs });
    } else if (item['resourceFieldRef'] !== undefined) {
      value = containerResourceValue(obj(item['resourceFieldRef']), ctx.pod, undefined, ctx.node);
    } else continue;
    payload.set(path, { data: Buffer.from(value, 'utf8'), mode });
  }
  return payload;
}

async function tokenFile(ctx: PayloadContext, src: Json, mode: number): Promise<[string, FileProjection]> {
  const path = str(src['path']) ?? 'token';
  const audience = str(src['audience']);
  const serviceAccount = str(ctx.pod.spec['serviceAccountName']) ?? 'default';
  const expirationSeconds = num(src['expirationSeconds']) ?? 3600;
  try {
    const token = await ctx.tokens.get(ctx.pod, serviceAccount, audience ? [audience] : [], expirationSeconds);
    return [path, { data: Buffer.from(token, 'utf8'), mode }];
  } catch (err) {
    // Offline edge: a token written before stays usable until it expires; keep it rather than fail.
    const existing = await readFile(join(ctx.targetDir, path)).catch(() => undefined);
    if (existing && existing.length > 0) return [path, { data: existing, mode }];
    throw new Error(`failed to fetch token: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** kubelet projected collectData: the sources merged in order, later paths overriding earlier ones. */
export async function projectedPayload(ctx: PayloadContext, src: Json): Promise<Payload> {
  const defaultMode = num(src['defaultMode']) ?? defaultFileMode;
  const payload: Payload = new Map();
  const merge = (part: Payload): void => { for (const [k, v] of part) payload.set(k, v); };
  for (const source of objs(src['sources'])) {
    if (source['configMap'] !== undefined) merge(await objectPayload(ctx, 'configmap', obj(source['configMap']), defaultMode));
    else if (source['secret'] !== undefined) merge(await objectPayload(ctx, 'secret', obj(source['secret']), defaultMode));
    else if (source['downwardAPI'] !== undefined) merge(downwardPayload(ctx, obj(source['downwardAPI']), defaultMode));
    else if (source['serviceAccountToken'] !== undefined) {
      const [path, file] = await tokenFile(ctx, obj(source['serviceAccountToken']), defaultMode);
      payload.set(path, file);
    } else throw new Error(`unsupported projected volume source: ${Object.keys(source).join(', ')}`);
  }
  return payload;
}
