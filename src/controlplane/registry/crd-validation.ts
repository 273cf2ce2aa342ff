// CustomResourceDefinition (apiextensions.k8s.io/v1) validation with kube-apiserver's field paths and
// messages: the name rule, group, names, scope, versions (exactly one storage version, schemas present),
// printer columns, scale paths and protected groups.
import type { KubeObject, StatusCause } from '../../api/index.js';
import { fieldErrors } from './field-errors.js';
import { isDNS1035Label, isDNS1123Subdomain } from './name-rules.js';
import { asArray, asString, dig, isRecord, type JsonRecord } from './object-access.js';

const columnTypes = ['boolean', 'date', 'integer', 'number', 'string'];
const columnFormats = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
const approvalAnnotation = 'api-approved.kubernetes.io';

function validateNames(names: JsonRecord): StatusCause[] {
  const causes: StatusCause[] = [];
  const base = 'spec.names';
  for (const key of ['plural', 'singular', 'kind', 'listKind']) {
    if (!asString(names[key])) causes.push(fieldErrors.required(`${base}.${key}`));
  }
  for (const key of ['plural', 'singular']) {
    const v = asString(names[key]);
    const errs = isDNS1035Label(v);
    if (v && errs.length > 0) causes.push(fieldErrors.invalid(`${base}.${key}`, v, errs.join(',')));
  }
  for (const key of ['kind', 'listKind']) {
    const v = asString(names[key]);
    const errs = isDNS1035Label(v.toLowerCase());
    if (v && errs.length > 0) causes.push(fieldErrors.invalid(`${base}.${key}`, v, `may have mixed case, but should otherwise match: ${errs.join(',')}`));
  }
  for (const list of ['shortNames', 'categories']) {
    asArray(names[list]).forEach((raw, i) => {
      const errs = isDNS1035Label(asString(raw));
      if (errs.length > 0) causes.push(fieldErrors.invalid(`${base}.${list}[${i}]`, raw, errs.join(',')));
    });
  }
  if (asString(names.kind) && names.kind === names.listKind) {
    causes.push(fieldErrors.invalid(`${base}.listKind`, names.listKind, 'kind and listKind may not be the same'));
  }
  return causes;
}

function validateSimplePath(value: unknown, field: string, under?: string): StatusCause[] {
  const path = asString(value);
  if (!path) return [fieldErrors.required(field)];
  if (!path.startsWith('.')) return [fieldErrors.invalid(field, path, 'must be a simple json path starting with .')];
  if (under && !path.startsWith(`.${under}.`)) return [fieldErrors.invalid(field, path, `should be a json path under .${under}`)];
  return [];
}

function validateColumns(columns: unknown, base: string): StatusCause[] {
  const causes: StatusCause[] = [];
  asArray(columns).forEach((raw, i) => {
    const col = isRecord(raw) ? raw : {};
    const path = `${base}[${i}]`;
    if (!asString(col.name)) causes.push(fieldErrors.required(`${path}.name`));
    const type = asString(col.type);
    const typeHint = `must be one of ${columnTypes.join(',')}`;
    if (!type) causes.push(fieldErrors.required(`${path}.type`, typeHint));
    else if (!columnTypes.includes(type)) causes.push(fieldErrors.invalid(`${path}.type`, type, typeHint));
    const format = asString(col.format);
    if (format && !columnFormats.includes(format)) causes.push(fieldErrors.invalid(`${path}.format`, format, `must be one of ${columnFormats.join(',')}`));
    causes.push(...validateSimplePath(col.jsonPath, `${path}.jsonPath`));
  });
  return causes;
}

function validateScale(scale: unknown, base: string): StatusCause[] {
  if (!isRecord(scale)) return [];
  const causes = [
    ...validateSimplePath(scale.specReplicasPath, `${base}.specReplicasPath`, 'spec'),
    ...validateSimplePath(scale.statusReplicasPath, `${base}.statusReplicasPath`, 'status'),
  ];
  if (asString(scale.labelSelectorPath)) causes.push(...validateSimplePath(scale.labelSelectorPath, `${base}.labelSelectorPath`, 'status'));
  return causes;
}

function validateVersions(versions: unknown[]): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  let storage = 0;
  let unique = true;
  versions.forEach((raw, i) => {
    const v = isRecord(raw) ? raw : {};
    const base = `spec.versions[${i}]`;
    const name = asString(v.name);
    if (v.storage === true) storage++;
    if (seen.has(name)) unique = false;
    seen.add(name);
    const errs = isDNS1035Label(name);
    if (errs.length > 0) causes.push(fieldErrors.invalid(`${base}.name`, name, errs.join(',')));
    if (!isRecord(dig(v, 'schema', 'openAPIV3Schema'))) causes.push(fieldErrors.required(`${base}.schema.openAPIV3Schema`, 'schemas are required'));
    causes.push(...validateColumns(v.additionalPrinterColumns, `${base}.additionalPrinterColumns`));
    causes.push(...validateScale(dig(v, 'subresources', 'scale'), `${base}.subresources.scale`));
  });
  if (!unique) causes.push(fieldErrors.invalid('spec.versions', versions, 'must contain unique version names'));
  if (storage !== 1) causes.push(fieldErrors.invalid('spec.versions', versions, 'must have exactly one version marked as storage version'));
  return causes;
}

function validateGroup(crd: KubeObject, group: string): StatusCause[] {
  if (!group) return [fieldErrors.required('spec.group')];
  const errs = isDNS1123Subdomain(group);
  if (errs.length > 0) return [fieldErrors.invalid('spec.group', group, errs.join(','))];
  if (!group.includes('.')) return [fieldErrors.invalid('spec.group', group, 'should be a domain with at least one dot')];
  // Groups under k8s.io and kubernetes.io belong to the Kubernetes project, and built-ins live there.
  const isProtected = group === 'k8s.io' || group.endsWith('.k8s.io') || group === 'kubernetes.io' || group.endsWith('.kubernetes.io');
  if (isProtected && !asString(crd.metadata.annotations?.[approvalAnnotation])) {
    return [fieldErrors.required(`metadata.annotations[${approvalAnnotation}]`,
      `protected groups must have approval annotation "${approvalAnnotation}", see https://github.com/kubernetes/enhancements/pull/1111`)];
  }
  return [];
}

/** Every cause that makes the CRD unacceptable; empty when it can be served. */
export function validateCRD(crd: KubeObject): StatusCause[] {
  const spec = isRecord(crd.spec) ? crd.spec : {};
  const names = isRecord(spec.names) ? spec.names : {};
  const group = asString(spec.group);
  const causes: StatusCause[] = [];
  const name = asString(crd.metadata.name);
  for (const m of isDNS1123Subdomain(name)) causes.push(fieldErrors.invalid('metadata.name', name, m));
  if (name !== `${asString(names.plural)}.${group}`) causes.push(fieldErrors.invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  causes.push(...validateGroup(crd, group));
  const scope = asString(spec.scope);
  if (!scope) causes.push(fieldErrors.required('spec.scope'));
  else if (scope !== 'Cluster' && scope !== 'Namespaced') causes.push(fieldErrors.notSupported('spec.scope', scope, ['Cluster', 'Namespaced']));
  causes.push(...validateVersions(asArray(spec.versions)));
  causes.push(...validateNames(names));
  return causes;
}

/** Fills the names Kubernetes defaults in v1 CRDs: singular = lower-case kind, listKind = kind + "List". */
export function defaultCRDNames(crd: KubeObject): void {
  const names = dig(crd, 'spec', 'names');
  if (!isRecord(names)) return;
  const kind = asString(names.kind);
  if (!asString(names.singular) && kind) names.singular = kind.toLowerCase();
  if (!asString(names.listKind) && kind) names.listKind = `${kind}List`;
}
