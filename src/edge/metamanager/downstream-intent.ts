// Turns a downstream message into what metamanager should do with it. Pure: no database, no hub.
// KubeEdge's metamanager (process.go handleMessage) stores insert/update/patch/response contents
// under the wire resource string and deletes by it; we do the same and add the checks it lacks.
import type { Message } from '../../core/index.js';
import { Groups, Operations, ProtocolError, parseResource } from '../../core/index.js';
import { parseResourceVersion } from './resource-version.js';

export type JsonObject = Record<string, unknown>;

/** Where a message's row lives: `key` is the wire resource (`default/pod/nginx`, `null/node/edge-1`). */
export interface RowTarget {
  key: string;
  type: string;
  namespace: string | null;
  /** null for a collection resource (`<ns>/<type>`), which KubeEdge also stores under its key. */
  name: string | null;
}

export type DownstreamIntent =
  | (RowTarget & { kind: 'upsert'; object: JsonObject; resourceVersion: bigint | undefined; uid: string | undefined })
  | (RowTarget & { kind: 'delete'; object: JsonObject | undefined; uid: string | undefined })
  /** Not for metamanager (other group, unknown operation, a response without an object). */
  | { kind: 'ignore'; reason: string }
  /** Malformed: answered with an error message, never acked, never stored. */
  | { kind: 'reject'; reason: string };

const UPSERT_OPERATIONS = new Set<string>([Operations.insert, Operations.update, Operations.patch, Operations.response]);

export function decodeDownstream(msg: Message): DownstreamIntent {
  if (msg.route.group !== Groups.resource) return { kind: 'ignore', reason: `group ${msg.route.group}` };
  const op = msg.route.operation;
  if (!UPSERT_OPERATIONS.has(op) && op !== Operations.delete) return { kind: 'ignore', reason: `operation ${op}` };
  let target: RowTarget;
  try {
    target = rowTarget(msg.route.resource);
  } catch (err) {
    return { kind: 'reject', reason: err instanceof ProtocolError ? err.message : 'bad resource' };
  }
  const object = asObject(msg.content);
  if (op === Operations.delete) return { kind: 'delete', ...target, object, uid: uidOf(object) };
  if (object === undefined) {
    // A response may carry "OK" or an error text: nothing to store. Any other operation must carry an object.
    if (op === Operations.response) return { kind: 'ignore', reason: 'response without object' };
    return { kind: 'reject', reason: `content of ${op} is not a JSON object` };
  }
  return upsertIntent(target, object, msg.header.resourceversion);
}

/**
 * An upsert of `object`. Its version is metadata.resourceVersion (what gets stored, so stored and
 * incoming compare like with like), else header.resourceversion.
 */
export function upsertIntent(target: RowTarget, object: JsonObject, headerResourceVersion: string | undefined): DownstreamIntent {
  const rv = parseResourceVersion(metadataOf(object)?.['resourceVersion']) ?? parseResourceVersion(headerResourceVersion);
  return { kind: 'upsert', ...target, object, resourceVersion: rv, uid: uidOf(object) };
}

/** Parses `<ns>/<type>[/<name>]`; throws ProtocolError bad_resource. */
export function rowTarget(resource: string): RowTarget {
  const r = parseResource(resource);
  return { key: resource, type: r.type, namespace: r.namespace, name: r.kind === 'object' ? r.name : null };
}

/** A JSON object from content, accepting a JSON text of one (some senders double-encode). */
export function asObject(content: unknown): JsonObject | undefined {
  if (typeof content === 'string') {
    const text = content.trim();
    if (!text.startsWith('{')) return undefined;
    try {
      return asObject(JSON.parse(text) as unknown);
    } catch {
      return undefined;
    }
  }
  return typeof content === 'object' && content !== null && !Array.isArray(content) ? (content as JsonObject) : undefined;
}

export function metadataOf(object: JsonObject | undefined): JsonObject | undefined {
  const meta = object?.['metadata'];
  return typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? (meta as JsonObject) : undefined;
}

function uidOf(object: JsonObject | undefined): string | undefined {
  const uid = metadataOf(object)?.['uid'];
  return typeof uid === 'string' && uid !== '' ? uid : undefined;
}
