// The key -> bytes content of ConfigMaps and Secrets. Secret `data` is base64; `stringData` is only
// seen on objects that never went through the API server, and wins there as it would on write.
import type { Json } from '../pod-contracts.js';
import { obj } from './json-fields.js';

function base64Entries(value: unknown): [string, Buffer][] {
  return Object.entries(obj(value))
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .map(([k, v]) => [k, Buffer.from(v, 'base64')]);
}

function textEntries(value: unknown): [string, Buffer][] {
  return Object.entries(obj(value))
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .map(([k, v]) => [k, Buffer.from(v, 'utf8')]);
}

/** ConfigMap data (text) and binaryData (base64), as files. */
export function configMapFiles(cm: Json): Map<string, Buffer> {
  return new Map([...textEntries(cm['data']), ...base64Entries(cm['binaryData'])]);
}

/** ConfigMap `data` only: what env (envFrom, configMapKeyRef) reads. */
export function configMapStrings(cm: Json): Map<string, string> {
  return new Map(textEntries(cm['data']).map(([k, v]) => [k, v.toString('utf8')]));
}

export function secretFiles(secret: Json): Map<string, Buffer> {
  return new Map([...base64Entries(secret['data']), ...textEntries(secret['stringData'])]);
}

export function secretStrings(secret: Json): Map<string, string> {
  return new Map([...secretFiles(secret)].map(([k, v]) => [k, v.toString('utf8')]));
}
