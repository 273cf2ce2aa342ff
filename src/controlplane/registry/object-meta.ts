// ObjectMeta validation as kube-apiserver does it for every kind: name or generateName, namespace
// presence, labels, annotations (total size ≤ 256 KiB), finalizers, ownerReferences and generation.
import type { KubeObject, StatusCause } from '../../api/index.js';
import { fieldErrors } from './field-errors.js';
import {
  isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isLabelValue, isPathSegmentName, isQualifiedName,
} from './name-rules.js';
import { asArray, asString, isRecord } from './object-access.js';
import { storageResource, type ResourceDef } from './types.js';

export type NameRule = 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label' | 'path-segment';

export interface ObjectMetaOptions {
  namespaced: boolean;
  nameRule: NameRule;
}

/** Kubernetes' limit on the summed byte length of all annotation keys and values. */
export const totalAnnotationSizeLimit = 256 * 1024;

/** Kinds whose names are stricter than a DNS subdomain; everything else (custom resources too) uses one. */
const nameRules: Readonly<Record<string, NameRule>> = {
  namespaces: 'dns1123-label',
  services: 'dns1035-label',
};

export function nameRuleFor(def: Pick<ResourceDef, 'group' | 'resource'>): NameRule {
  return nameRules[storageResource(def)] ?? 'dns1123-subdomain';
}

/** generateName is checked as a prefix: a trailing '-' is fine because random characters follow it. */
function checkName(rule: NameRule, value: string, prefix: boolean): string[] {
  const masked = prefix && value.endsWith('-') ? `${value.slice(0, -1)}a` : value;
  switch (rule) {
    case 'dns1123-label': return isDNS1123Label(masked);
    case 'dns1035-label': return isDNS1035Label(masked);
    case 'path-segment': return isPathSegmentName(value, prefix);
    default: return isDNS1123Subdomain(masked);
  }
}

export function validateObjectMeta(obj: KubeObject, opts: ObjectMetaOptions): StatusCause[] {
  const meta = isRecord(obj.metadata) ? obj.metadata : {};
  const causes: StatusCause[] = [];
  const name = asString(meta.name);
  const generateName = asString(meta.generateName);
  const namespace = asString(meta.namespace);
  if (generateName) {
    for (const m of checkName(opts.nameRule, generateName, true)) causes.push(fieldErrors.invalid('metadata.generateName', generateName, m));
  }
  // kube-apiserver validates after generating the name; callers that validate earlier may pass generateName alone.
  if (!name) {
    if (!generateName) causes.push(fieldErrors.required('metadata.name', 'name or generateName is required'));
  } else {
    for (const m of checkName(opts.nameRule, name, false)) causes.push(fieldErrors.invalid('metadata.name', name, m));
  }
  if (opts.namespaced) {
    if (!namespace) causes.push(fieldErrors.required('metadata.namespace'));
    else for (const m of isDNS1123Label(namespace)) causes.push(fieldErrors.invalid('metadata.namespace', namespace, m));
  } else if (namespace) {
    causes.push(fieldErrors.forbidden('metadata.namespace', 'not allowed on this type'));
  }
  if (typeof meta.generation === 'number' && meta.generation < 0) {
    causes.push(fieldErrors.invalid('metadata.generation', meta.generation, 'must be greater than or equal to 0'));
  }
  causes.push(...validateLabels(meta.labels, 'metadata.labels'));
  causes.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  causes.push(...validateFinalizers(meta.finalizers));
  causes.push(...validateOwnerReferences(meta.ownerReferences));
  return causes;
}

export function validateLabels(labels: unknown, field: string): StatusCause[] {
  if (!isRecord(labels)) return [];
  const causes: StatusCause[] = [];
  for (const [key, value] of Object.entries(labels)) {
    for (const m of isQualifiedName(key)) causes.push(fieldErrors.invalid(field, key, m));
    if (typeof value !== 'string') {
      causes.push(fieldErrors.invalid(`${field}[${key}]`, value, 'label values must be strings'));
      continue;
    }
    for (const m of isLabelValue(value)) causes.push(fieldErrors.invalid(field, value, m));
  }
  return causes;
}

function validateAnnotations(annotations: unknown, field: string): StatusCause[] {
  if (!isRecord(annotations)) return [];
  const causes: StatusCause[] = [];
  let total = 0;
  for (const [key, value] of Object.entries(annotations)) {
    for (const m of isQualifiedName(key.toLowerCase())) causes.push(fieldErrors.invalid(field, key, m));
    total += Buffer.byteLength(key) + Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value ?? ''));
  }
  if (total > totalAnnotationSizeLimit) causes.push(fieldErrors.tooLong(field, totalAnnotationSizeLimit));
  return causes;
}

function validateFinalizers(finalizers: unknown): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const f of asArray(finalizers)) {
    const name = asString(f);
    for (const m of isQualifiedName(name)) causes.push(fieldErrors.invalid('metadata.finalizers', name, m));
  }
  return causes;
}

function validateOwnerReferences(refs: unknown): StatusCause[] {
  const causes: StatusCause[] = [];
  const base = 'metadata.ownerReferences';
  const controllers: string[] = [];
  for (const raw of asArray(refs)) {
    const ref = isRecord(raw) ? raw : {};
    const apiVersion = asString(ref.apiVersion);
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    if (!version) causes.push(fieldErrors.invalid(`${base}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!asString(ref.kind)) causes.push(fieldErrors.invalid(`${base}.kind`, asString(ref.kind), 'kind must not be empty'));
    if (!asString(ref.name)) causes.push(fieldErrors.invalid(`${base}.name`, asString(ref.name), 'name must not be empty'));
    if (!asString(ref.uid)) causes.push(fieldErrors.invalid(`${base}.uid`, asString(ref.uid), 'uid must not be empty'));
    if (ref.controller === true) controllers.push(`${asString(ref.kind)}/${asString(ref.name)}`);
  }
  if (controllers.length > 1) {
    causes.push(fieldErrors.invalid(base, refs,
      `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(' and ')}`));
  }
  return causes;
}

/** Metadata rules for the def's kind, then the kind's own strategy validation: what a create or update
 *  must pass before it is stored. */
export function validateObject(def: ResourceDef, obj: KubeObject, old?: KubeObject): StatusCause[] {
  const causes = validateObjectMeta(obj, { namespaced: def.namespaced, nameRule: nameRuleFor(def) });
  if (def.strategy?.validate) causes.push(...def.strategy.validate(obj, old));
  return causes;
}
