// PATCH dispatch: picks the patch format from the request's content type and returns the patched object.
// The object layer still validates the result (name, namespace, immutable fields, resourceVersion).
import type { KubeObject } from '../../api/index.js';
import { errors } from '../errors.js';
import type { PatchType } from '../objects/types.js';
import { applyJsonPatch } from './json-patch.js';
import { isJsonObject, jsonTypeName } from './json-value.js';
import { recordUpdate } from './managed-fields.js';
import { applyMergePatch } from './merge-patch.js';
import { patchInvalid } from './patch-errors.js';
import { patchSchemaFor } from './patch-schema.js';
import type { PatchTarget } from './patch-target.js';
import { serverSideApply } from './server-side-apply.js';
import { strategicMerge } from './strategic-merge.js';

/** Kubernetes' text for a strategic merge patch on a type that has no strategic-merge schema. */
export const strategicMergeUnsupportedMessage =
  'the body of the request was in an unknown format - accepted media types include: ' +
  'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml';

export function patchObject(type: PatchType, current: KubeObject, patch: unknown, target: PatchTarget): KubeObject {
  const patched = applyPatch(type, current, patch, target);
  if (!isJsonObject(patched)) throw patchInvalid(`the patched object must be a JSON object, not ${jsonTypeName(patched)}`);
  if (!isJsonObject(patched.metadata)) throw patchInvalid('the patched object must keep an object in metadata');
  const result = patched as KubeObject;
  if (type === 'apply' || !target.fieldManager) return result;
  return recordUpdate(current, result, { ...target, manager: target.fieldManager });
}

function applyPatch(type: PatchType, current: KubeObject, patch: unknown, target: PatchTarget): unknown {
  switch (type) {
    case 'json':
      if (!Array.isArray(patch)) throw errors.badRequest(`a json patch must be a JSON array of operations, not ${jsonTypeName(patch)}`);
      return applyJsonPatch(current, patch);
    case 'merge':
      return applyMergePatch(current, requireObject(patch, 'merge patch'));
    case 'strategic':
      if (!target.strategicMerge) throw errors.unsupportedMediaType(strategicMergeUnsupportedMessage);
      return strategicMerge(current, requireObject(patch, 'strategic merge patch'), patchSchemaFor(target.kind, target.apiVersion));
    case 'apply':
      return serverSideApply(current, requireObject(patch, 'apply patch') as KubeObject, target);
  }
}

function requireObject(patch: unknown, what: string): Record<string, unknown> {
  if (!isJsonObject(patch)) throw errors.badRequest(`a ${what} must be a JSON object, not ${jsonTypeName(patch)}`);
  return patch;
}
