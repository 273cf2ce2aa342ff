// The status kube-apiserver's CRD controllers set once a definition is served, and the REST strategy of
// the customresourcedefinitions resource. Establishing is synchronous here, so the status is written as
// part of the create or update itself.
import type { KubeObject, StatusCause } from '../../api/index.js';
import { defaultCRDNames, validateCRD } from './crd-validation.js';
import { fieldErrors } from './field-errors.js';
import { asArray, asString, dig, ensureRecord, isRecord, setDefault, type JsonRecord } from './object-access.js';
import type { ResourceStrategy } from './types.js';

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function rfc3339(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function acceptedNames(names: JsonRecord): JsonRecord {
  const accepted: JsonRecord = {
    plural: asString(names.plural), singular: asString(names.singular) || asString(names.kind).toLowerCase(),
    kind: asString(names.kind), listKind: asString(names.listKind) || `${asString(names.kind)}List`,
  };
  for (const list of ['shortNames', 'categories']) {
    const values = asArray(names[list]).map(asString);
    if (values.length > 0) accepted[list] = values;
  }
  return accepted;
}

function condition(type: string, reason: string, message: string, previous: JsonRecord[], now: Date): JsonRecord {
  const before = previous.find((c) => c.type === type && c.status === 'True');
  return { type, status: 'True', lastTransitionTime: before?.lastTransitionTime ?? rfc3339(now), reason, message };
}

/** NamesAccepted and Established conditions, accepted names and stored versions (kept across updates). */
export function crdStatusFor(crd: KubeObject, now: Date = new Date()): JsonRecord {
  const names = dig(crd, 'spec', 'names');
  const old = isRecord(crd.status) ? crd.status : {};
  const previous = asArray(old.conditions).filter(isRecord);
  const storage = asArray(dig(crd, 'spec', 'versions')).filter(isRecord).find((v) => v.storage === true);
  const stored = asArray(old.storedVersions).map(asString).filter((v) => v !== '');
  const storageName = asString(storage?.name);
  if (storageName && !stored.includes(storageName)) stored.push(storageName);
  return {
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found', previous, now),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted', previous, now),
    ],
    acceptedNames: acceptedNames(isRecord(names) ? names : {}),
    storedVersions: stored,
  };
}

function defaultCRD(crd: KubeObject): void {
  defaultCRDNames(crd);
  const spec = ensureRecord(crd, 'spec');
  setDefault(ensureRecord(spec, 'conversion'), 'strategy', 'None');
}

/** The clock is injectable so tests and callers control lastTransitionTime. */
export function crdStrategy(clock: () => Date = () => new Date()): ResourceStrategy {
  return {
    prepareForCreate(obj) {
      defaultCRD(obj);
      delete obj.status;
      obj.status = crdStatusFor(obj, clock());
    },
    prepareForUpdate(obj, old) {
      defaultCRD(obj);
      obj.status = crdStatusFor({ ...obj, status: old.status }, clock());
    },
    validate(obj, old): StatusCause[] {
      const causes = validateCRD(obj);
      if (!old) return causes;
      // Group, plural and scope decide where objects are stored, so they cannot change.
      for (const path of [['group'], ['names', 'plural'], ['scope']]) {
        const value = dig(obj.spec, ...path);
        if (value !== dig(old.spec, ...path)) causes.push(fieldErrors.invalid(`spec.${path.join('.')}`, value ?? null, 'field is immutable'));
      }
      return causes;
    },
  };
}
