// metadata.managedFields for ordinary writes (create, update, non-apply patch): the patch module does the
// field bookkeeping; here we name the writer the way kube-apiserver does.
import type { KubeObject } from '../../api/index.js';
import { recordUpdate } from '../patch/index.js';
import type { Env } from './env.js';
import { rfc3339 } from './object-meta.js';
import type { Resolved } from './resolve.js';
import type { RequestContext } from './types.js';

/** kube-apiserver derives the manager from the User-Agent when the request names none; the HTTP layer
 *  passes that as fieldManager, and in-process callers that pass nothing show up as this. */
export const DEFAULT_FIELD_MANAGER = 'unknown';

/** Fields a write through this endpoint cannot set, so server-side apply does not claim them. */
export function resetFieldsFor(r: Resolved, subresource: string | undefined): string[][] {
  if (subresource === 'status') return [];
  return r.def.subresources.status ? [['status']] : [];
}

export function recordWrite(env: Env, r: Resolved, previous: KubeObject | undefined, next: KubeObject,
  ctx: RequestContext, subresource?: string): KubeObject {
  return recordUpdate(previous, next, {
    manager: ctx.fieldManager || DEFAULT_FIELD_MANAGER,
    kind: r.def.kind,
    apiVersion: r.apiVersion,
    time: rfc3339(env.now()),
    // No resetFields here: the update path has already restored them from the stored object, so they
    // count as unchanged, and recordUpdate would otherwise take them from their owners (e.g. the status writer).
    ...(subresource ? { subresource } : {}),
  });
}
