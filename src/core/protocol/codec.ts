import { ProtocolError } from './errors.js';
import type { Message, MessageHeader, MessageRoute } from './message.js';

// JSON codec for the envelope. Key order and omission follow Go's encoding/json on beehive's
// structs: header{msg_id, parent_msg_id?, timestamp, resourceversion?, sync?, type?},
// route{source?, destination?, group?, operation?, resource?} (every route field is omitempty),
// content always present (null when absent).

export interface DecodeLimits {
  /** Largest frame accepted, in bytes of UTF-8; default 16 MiB. */
  maxBytes?: number;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export function encodeMessage(msg: Message): string {
  const h = msg.header;
  const header: Record<string, unknown> = { msg_id: h.msg_id };
  if (h.parent_msg_id) header['parent_msg_id'] = h.parent_msg_id;
  header['timestamp'] = h.timestamp;
  if (h.resourceversion) header['resourceversion'] = h.resourceversion;
  if (h.sync) header['sync'] = true;
  if (h.type) header['type'] = h.type;
  const r = msg.route;
  const route: Record<string, unknown> = {};
  for (const key of ['source', 'destination', 'group', 'operation', 'resource'] as const) {
    if (r[key]) route[key] = r[key];
  }
  return JSON.stringify({ header, route, content: msg.content === undefined ? null : msg.content });
}

/** Parses one frame into a Message, or throws ProtocolError. Pure: no I/O, no logging. */
export function decodeMessage(input: string | Uint8Array, limits: DecodeLimits = {}): Message {
  const max = limits.maxBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const text = toText(input, max);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ProtocolError('malformed_json', `message is not valid JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const obj = asObject(value, '');
  return {
    header: decodeHeader(asObject(obj['header'], 'header')),
    route: decodeRoute(asObject(obj['route'], 'route')),
    content: obj['content'] === undefined ? null : obj['content'],
  };
}

function toText(input: string | Uint8Array, max: number): string {
  if (typeof input === 'string') {
    // A UTF-16 code unit takes at most 3 UTF-8 bytes, so short strings skip the exact count.
    if (input.length * 3 > max && Buffer.byteLength(input, 'utf8') > max) throw tooLarge(max);
    return input;
  }
  if (input.byteLength > max) throw tooLarge(max);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch (err) {
    throw new ProtocolError('bad_encoding', 'message is not valid UTF-8', { cause: err });
  }
}

function tooLarge(max: number): ProtocolError {
  return new ProtocolError('too_large', `message exceeds ${max} bytes`);
}

function asObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const what = field === '' ? 'message' : field;
    throw new ProtocolError('bad_shape', `${what} must be a JSON object`, { field: field || undefined });
  }
  return value as Record<string, unknown>;
}

function decodeHeader(h: Record<string, unknown>): MessageHeader {
  const msgId = h['msg_id'];
  if (typeof msgId !== 'string' || msgId === '') {
    throw new ProtocolError('bad_shape', 'header.msg_id must be a non-empty string', { field: 'header.msg_id' });
  }
  // Go decodes a missing timestamp as 0; keep that leniency but reject wrong types.
  const ts = h['timestamp'] ?? 0;
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts)) {
    throw new ProtocolError('bad_shape', 'header.timestamp must be an integer', { field: 'header.timestamp' });
  }
  const header: MessageHeader = { msg_id: msgId, timestamp: ts };
  const parent = optionalString(h, 'parent_msg_id', 'header');
  if (parent) header.parent_msg_id = parent;
  const rv = optionalString(h, 'resourceversion', 'header');
  if (rv) header.resourceversion = rv;
  const sync = h['sync'];
  if (sync !== undefined && sync !== null && typeof sync !== 'boolean') {
    throw new ProtocolError('bad_shape', 'header.sync must be a boolean', { field: 'header.sync' });
  }
  if (sync === true) header.sync = true;
  const type = optionalString(h, 'type', 'header');
  if (type) header.type = type;
  return header;
}

function decodeRoute(r: Record<string, unknown>): MessageRoute {
  const route: MessageRoute = {
    source: optionalString(r, 'source', 'route') ?? '',
    group: optionalString(r, 'group', 'route') ?? '',
    operation: optionalString(r, 'operation', 'route') ?? '',
    resource: optionalString(r, 'resource', 'route') ?? '',
  };
  const destination = optionalString(r, 'destination', 'route');
  if (destination) route.destination = destination;
  return route;
}

function optionalString(obj: Record<string, unknown>, key: string, parent: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') {
    const field = `${parent}.${key}`;
    throw new ProtocolError('bad_shape', `${field} must be a string`, { field });
  }
  return v;
}
