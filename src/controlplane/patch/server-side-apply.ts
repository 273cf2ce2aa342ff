// Server-side apply (application/apply-patch+yaml), an approximation of Kubernetes' field management:
// - The applied configuration is merged into the live object with the strategic-merge rules of the kind
//   (items of keyed lists merge by key; other lists and scalars are replaced).
// - The applier (operation Apply) then owns exactly the paths its configuration sets. Paths it owned
//   before and no longer sets are removed from the object unless another manager owns them or something
//   below them; maps and lists emptied by that removal and owned by nobody are removed too.
// - Setting a path owned by another manager (Apply or Update) to a different value is a conflict: 409
//   listing the paths and managers, unless force=true, which moves those paths to the applier. Equal
//   values are shared ownership, as in Kubernetes.
// - Applying to an object without managedFields first gives all its fields to "before-first-apply".
// Simplifications: the schema is the strategic-merge table, so lists without a merge key are atomic,
// keyed lists use their single patch merge key (Kubernetes keys ports by port and protocol), CRDs get
// atomic lists (their x-kubernetes-list-type is not consulted), free-form maps are recognised by field
// name, explicit nulls in the configuration mean "not set", and no defaulting or version conversion runs.
import type { KubeObject } from '../../api/index.js';
import { errors } from '../errors.js';
import { applyConflict } from './patch-errors.js';
import { patchSchemaFor } from './patch-schema.js';
import { fieldSet, formatFieldPath, hasPath, ownsAtOrBelow, pathKey } from './field-set.js';
import type { FieldPath, FieldSet } from './field-set.js';
import { removeAt, valueAt } from './field-paths.js';
import { isJsonObject, jsonEqual } from './json-value.js';
import type { JsonObject } from './json-value.js';
import { nowRfc3339, ownedPaths, readOwners, sameOwner, writeOwners } from './managed-fields.js';
import type { Owner, Writer } from './managed-fields.js';
import type { PatchTarget } from './patch-target.js';
import { cleanValue } from './strategic-clean.js';
import { strategicMerge } from './strategic-merge.js';

interface Conflict { owner: Owner; path: FieldPath }

export function serverSideApply(live: KubeObject | undefined, applied: KubeObject, options: PatchTarget): KubeObject {
  const manager = options.fieldManager;
  if (!manager) throw errors.badRequest('PATCH requests of type apply-patch must name a fieldManager');
  const config = applyConfiguration(applied, options.resetFields);
  const appliedPaths = ownedPaths(config, options);
  const me: Owner = { manager, operation: 'Apply', apiVersion: options.apiVersion, time: options.time ?? nowRfc3339(), fields: appliedPaths };
  if (options.subresource) me.subresource = options.subresource;
  if (live === undefined) {
    writeOwners(config, [me]);
    return config;
  }
  const owners = readOwners(live);
  if (owners.length === 0) {
    owners.push({ manager: 'before-first-apply', operation: 'Update', apiVersion: options.apiVersion, time: me.time, fields: ownedPaths(live, options) });
  }
  const previous = owners.find((o) => sameOwner(o, me));
  const others = owners.filter((o) => o !== previous);
  const conflicts = findConflicts(live, config, appliedPaths, others);
  if (conflicts.length > 0 && !options.force) throw conflictError(conflicts);
  for (const { owner, path } of conflicts) owner.fields.delete(pathKey(path));
  const merged = strategicMerge(live, config, patchSchemaFor(options.kind, options.apiVersion)) as KubeObject;
  if (previous) removeReleasedFields(merged, previous.fields, appliedPaths, others);
  writeOwners(merged, previous ? owners.map((o) => (o === previous ? me : o)) : [...owners, me]);
  return merged;
}

/** The applied object as configuration: no nulls, no `$` keys, no managedFields, no reset fields. */
function applyConfiguration(applied: KubeObject, resetFields: Writer['resetFields']): KubeObject {
  const config = cleanValue(applied) as KubeObject;
  if (!isJsonObject(config.metadata)) config.metadata = {};
  delete config.metadata.managedFields;
  for (const path of resetFields ?? []) removeAt(config, path.map((name) => `f:${name}`));
  return config;
}

function findConflicts(live: KubeObject, config: KubeObject, appliedPaths: FieldSet, others: readonly Owner[]): Conflict[] {
  const conflicts: Conflict[] = [];
  for (const path of appliedPaths.values()) {
    const wanted = valueAt(config, path);
    if (wanted.found && isJsonObject(wanted.value) && Object.keys(wanted.value).length > 0) continue;
    const current = valueAt(live, path);
    if (current.found && jsonEqual(current.value, wanted.found ? wanted.value : undefined)) continue;
    for (const owner of others) if (hasPath(owner.fields, path)) conflicts.push({ owner, path });
  }
  return conflicts;
}

/** Kubernetes' wording, e.g. Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas */
function conflictError(conflicts: readonly Conflict[]): Error {
  const causes = conflicts.map(({ owner, path }) => ({
    reason: 'FieldManagerConflict', message: `conflict with ${describeOwner(owner)}`, field: formatFieldPath(path),
  }));
  const [only] = conflicts;
  if (conflicts.length === 1 && only) {
    return applyConflict(`Apply failed with 1 conflict: conflict with ${describeOwner(only.owner)}: ${formatFieldPath(only.path)}`, causes);
  }
  const byOwner = new Map<string, string[]>();
  for (const { owner, path } of conflicts) {
    const name = describeOwner(owner);
    byOwner.set(name, [...(byOwner.get(name) ?? []), `- ${formatFieldPath(path)}`]);
  }
  const lines = [...byOwner.keys()].sort().flatMap((name) => [`conflicts with ${name}:`, ...(byOwner.get(name) ?? [])]);
  return applyConflict(`Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`, causes);
}

function describeOwner(owner: Owner): string {
  const name = owner.subresource ? `"${owner.manager}" with subresource "${owner.subresource}"` : `"${owner.manager}"`;
  return owner.operation === 'Update' ? `${name} using ${owner.apiVersion}` : name;
}

/** Removes what the applier owned before and no longer applies, unless someone still owns it. Shorter
 *  paths go first: removing a list item by its key must happen before its key field is removed. */
function removeReleasedFields(obj: KubeObject, before: FieldSet, applied: FieldSet, others: readonly Owner[]): void {
  const kept: FieldSet = fieldSet([...applied.values(), ...others.flatMap((o) => [...o.fields.values()])]);
  const released = [...before.values()].filter((path) => !hasPath(applied, path)).sort((a, b) => a.length - b.length);
  for (const path of released) {
    if (ownsAtOrBelow(kept, path)) continue;
    if (removeAt(obj, path)) pruneEmptyParents(obj, path, kept);
  }
}

function pruneEmptyParents(obj: KubeObject, path: FieldPath, kept: FieldSet): void {
  for (let length = path.length - 1; length > 0; length--) {
    const parentPath = path.slice(0, length);
    const parent = valueAt(obj, parentPath);
    const empty = parent.found && ((isJsonObject(parent.value) && Object.keys(parent.value as JsonObject).length === 0) ||
      (Array.isArray(parent.value) && parent.value.length === 0));
    if (!empty || ownsAtOrBelow(kept, parentPath) || parentPath[0] === 'f:metadata' && length === 1) return;
    removeAt(obj, parentPath);
  }
}
