// The two write paths: a pod's status patch and an event, both pushed upstream through the edgehub
// outbox (reliable: persisted before we answer). Nothing changes locally here: the cloud applies
// them and the result comes back down the normal path into metamanager.
import { randomInt } from 'node:crypto';
import { isKubeObject, type KubeObject } from '../../api/index.js';
import type { MessageClock } from '../../core/index.js';
import { ApiError } from './api-error.js';
import { applyMergePatch } from './merge-patch.js';
import { readObject } from './reads.js';
import type { ResourceInfo } from './resources.js';
import type { Route } from './routes.js';
import type { MetaServerOptions } from './types.js';
import { eventMessage, podStatusMessage } from './upstream-messages.js';

export interface WriteContext {
  store: MetaServerOptions['store'];
  hub: MetaServerOptions['hub'];
  nodeName: string;
  /** The served pods resource (for reads and messages). */
  pods: ResourceInfo;
  clock?: MessageClock;
}

const MERGE_TYPES = new Set(['application/merge-patch+json', 'application/json']);

/**
 * PATCH pods/{name}/status with a JSON merge patch. Only pods bound to this node (spec.nodeName) may
 * be patched (KubeEdge's node authorization allows a node only its own pods' status). A
 * metadata.uid in the patch is a precondition, as in Kubernetes. Answers the pod as it will be.
 */
export async function patchPodStatus(
  ctx: WriteContext,
  route: Extract<Route, { kind: 'patchPodStatus' }>,
  mediaType: string,
  patch: unknown,
): Promise<KubeObject> {
  if (!MERGE_TYPES.has(mediaType)) {
    throw new ApiError('UnsupportedMediaType', `the media type "${mediaType}" is not supported here; use application/merge-patch+json`);
  }
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new ApiError('BadRequest', 'the patch must be a JSON object');
  // The cloud's copy: the patch merges into what the cloud holds, as the status subresource does there.
  const pod = await readObject({ store: ctx.store }, ctx.pods, route.namespace, route.name);
  const spec = (pod.spec ?? {}) as { nodeName?: unknown };
  if (spec.nodeName !== ctx.nodeName) {
    throw new ApiError('Forbidden', `pod "${route.name}" is not bound to node "${ctx.nodeName}"`, { name: route.name, kind: 'pods' });
  }
  const p = patch as { metadata?: { uid?: unknown }; status?: unknown };
  const uid = pod.metadata.uid ?? '';
  if (p.metadata?.uid !== undefined && p.metadata.uid !== uid) {
    throw new ApiError('Conflict', `precondition failed: UID in precondition: ${String(p.metadata.uid)}, UID in object meta: ${uid}`, { name: route.name, kind: 'pods' });
  }
  const status = p.status === undefined ? (pod.status ?? {}) : applyMergePatch(pod.status ?? {}, p.status);
  ctx.hub.enqueue(podStatusMessage(route.namespace, { UID: uid, Name: route.name, Status: status }, ctx.clock));
  return { ...pod, status };
}

/** POST events: fills the namespace, generates a name from generateName, and sends it up. */
export function createEvent(ctx: WriteContext, route: Extract<Route, { kind: 'createEvent' }>, body: unknown): KubeObject {
  if (!isKubeObject(body)) throw new ApiError('BadRequest', 'the body must be a v1 Event object');
  if (body.kind !== undefined && body.kind !== 'Event') throw new ApiError('BadRequest', `kind "${String(body.kind)}" is not Event`);
  const ns = body.metadata.namespace;
  if (ns !== undefined && ns !== '' && ns !== route.namespace) {
    throw new ApiError('BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
  }
  const name = body.metadata.name || (body.metadata.generateName ? body.metadata.generateName + randomSuffix() : '');
  if (!name || name.includes('/')) throw new ApiError('Invalid', 'metadata.name: Required value: name or generateName is required', { kind: 'Event' });
  const event: KubeObject = { ...body, apiVersion: 'v1', kind: 'Event', metadata: { ...body.metadata, name, namespace: route.namespace } };
  ctx.hub.enqueue(eventMessage(event, ctx.clock));
  return event;
}

/** Five characters from Kubernetes' generateName alphabet (no vowels, no look-alikes). */
function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (let i = 0; i < 5; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}
