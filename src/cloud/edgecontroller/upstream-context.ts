// What every upstream handler receives: the node, the message, its parsed resource, and the few
// collaborators it may use.
import type { KubeObject } from '../../api/index.js';
import type { Logger, Message } from '../../core/index.js';
import { UpstreamRejected } from '../cloudhub/index.js';
import type { KubeClient } from '../kube/index.js';
import type { Downstream } from './downstream.js';
import type { LocationIndex } from './location-index.js';
import type { AuthzRequest } from './node-authorizer.js';
import type { Responder } from './upstream-responses.js';
import type { CacheInformer, InformedResource } from './types.js';

export interface UpstreamContext {
  node: string;
  msg: Message;
  req: AuthzRequest;
  kube: KubeClient;
  reply: Responder;
  cache: (r: InformedResource) => CacheInformer | undefined;
  index: LocationIndex;
  downstream: Downstream;
  log: Logger;
  now: () => number;
}

export type UpstreamHandler = (ctx: UpstreamContext) => Promise<void>;

/**
 * The message content as JSON. KubeEdge edges send patches as a JSON string (metaclient
 * `string(patchBytes)`), other contents as objects.
 */
export function jsonContent(content: unknown): unknown {
  if (typeof content !== 'string') return content;
  try {
    return JSON.parse(content) as unknown;
  } catch {
    throw new UpstreamRejected('invalid', 'content is a string but not JSON');
  }
}

/** The content as an object with metadata, or a rejection. */
export function objectContent(content: unknown, what: string): KubeObject {
  const v = jsonContent(content);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UpstreamRejected('invalid', `${what} content must be an object`);
  const obj = v as KubeObject;
  if (typeof obj.metadata !== 'object' || obj.metadata === null) obj.metadata = {};
  return obj;
}

/** Name of the object the message is about; list resources are refused where a name is needed. */
export function requireName(ctx: UpstreamContext): string {
  if (ctx.req.name === undefined) throw new UpstreamRejected('bad_resource', `${ctx.req.type} needs a name`);
  return ctx.req.name;
}

export function requireNamespace(ctx: UpstreamContext): string {
  if (ctx.req.namespace === null) throw new UpstreamRejected('bad_resource', `${ctx.req.type} needs a namespace`);
  return ctx.req.namespace;
}

export function isoNow(ctx: UpstreamContext): string {
  return new Date(ctx.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
