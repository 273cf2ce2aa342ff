// REST strategies of core/v1 kinds: defaults and server-set fields on create, what an update may not
// touch, and kind-specific validation. Metadata rules live in object-meta.ts; the object API does the
// generic parts (uid, timestamps, generation on create, resourceVersion).
import type { KubeObject, StatusCause } from '../../api/index.js';
import { fieldErrors } from './field-errors.js';
import { keepStatus } from './keep-status.js';
import { isConfigMapKey } from './name-rules.js';
import { canonicalJson, ensureRecord, isRecord, setDefault } from './object-access.js';
import { admitNewPod, defaultPodOnly, defaultPodSpec, podQOS } from './pod-defaults.js';
import { validatePodSpec, validatePodSpecUpdate } from './pod-validation.js';
import type { ResourceStrategy } from './types.js';

export const podStrategy: ResourceStrategy = {
  prepareForCreate(obj) {
    const spec = ensureRecord(obj, 'spec');
    defaultPodSpec(spec);
    defaultPodOnly(spec);
    admitNewPod(spec);
    obj.status = { phase: 'Pending', qosClass: podQOS(spec) };
  },
  prepareForUpdate(obj, old) {
    const spec = ensureRecord(obj, 'spec');
    defaultPodSpec(spec);
    defaultPodOnly(spec);
    keepStatus(obj, old);
  },
  validate(obj, old) {
    const spec = isRecord(obj.spec) ? obj.spec : {};
    const causes = validatePodSpec(spec, 'spec');
    if (old && isRecord(old.spec)) causes.push(...validatePodSpecUpdate(spec, old.spec));
    return causes;
  },
};

export const nodeStrategy: ResourceStrategy = {
  prepareForUpdate: keepStatus,
};

export const namespaceStrategy: ResourceStrategy = {
  prepareForCreate(obj) {
    const spec = ensureRecord(obj, 'spec');
    setDefault(spec, 'finalizers', ['kubernetes']);
    obj.status = { phase: 'Active' };
    labelNamespace(obj);
  },
  prepareForUpdate(obj, old) {
    // spec.finalizers change only through namespaces/<name>/finalize; status through /status.
    const spec = ensureRecord(obj, 'spec');
    if (isRecord(old.spec) && old.spec.finalizers !== undefined) spec.finalizers = structuredClone(old.spec.finalizers);
    else delete spec.finalizers;
    keepStatus(obj, old);
    labelNamespace(obj);
  },
};

/** Every namespace carries kubernetes.io/metadata.name=<name> so that selectors can pick namespaces by name. */
function labelNamespace(obj: KubeObject): void {
  if (!obj.metadata.name) return;
  obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
}

function validateDataKeys(obj: KubeObject, keysOf: readonly string[]): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  for (const field of keysOf) {
    const data = obj[field];
    if (data === undefined || data === null) continue;
    if (!isRecord(data)) {
      causes.push(fieldErrors.invalid(field, data, 'must be a map of strings'));
      continue;
    }
    for (const key of Object.keys(data)) {
      for (const m of isConfigMapKey(key)) causes.push(fieldErrors.invalid(`${field}[${key}]`, key, m));
      if (seen.has(key)) causes.push(fieldErrors.invalid(`${field}[${key}]`, key, `duplicate of key present in ${keysOf[0]}`));
      seen.add(key);
    }
  }
  return causes;
}

/** `immutable: true` ConfigMaps and Secrets freeze their data and cannot be made mutable again. */
function validateImmutableData(obj: KubeObject, old: KubeObject | undefined, fields: readonly string[]): StatusCause[] {
  if (!old || old.immutable !== true) return [];
  const causes: StatusCause[] = [];
  if (obj.immutable !== true) causes.push(fieldErrors.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) {
    if (canonicalJson(obj[f] ?? null) !== canonicalJson(old[f] ?? null)) causes.push(fieldErrors.forbidden(f, 'field is immutable when `immutable` is set'));
  }
  return causes;
}

export const configMapStrategy: ResourceStrategy = {
  validate(obj, old) {
    return [...validateDataKeys(obj, ['data', 'binaryData']), ...validateImmutableData(obj, old, ['data', 'binaryData'])];
  },
};

/** stringData is a write-only convenience: it is merged into data (base64) and never stored. */
function mergeStringData(obj: KubeObject): void {
  if (isRecord(obj.stringData)) {
    const data = ensureRecord(obj, 'data');
    for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  }
  delete obj.stringData;
  setDefault(obj, 'type', 'Opaque');
}

export const secretStrategy: ResourceStrategy = {
  prepareForCreate: mergeStringData,
  prepareForUpdate: (obj) => mergeStringData(obj),
  validate(obj, old) {
    const causes = [...validateDataKeys(obj, ['data']), ...validateImmutableData(obj, old, ['data'])];
    if (old && old.type !== obj.type) causes.push(fieldErrors.invalid('type', obj.type, 'field is immutable'));
    return causes;
  },
};
