// One predicate for list and watch: label selector AND field selector. metadata.name and
// metadata.namespace are selectable on every kind; built-in kinds add the fields Kubernetes supports for
// them (spec.nodeName on pods, type on secrets, ...); callers add more through `fields` (e.g. a CRD's
// selectableFields). Selecting on anything else is the API server's 400.
import type { KubeObject } from '../../api/index.js';
import { errors } from '../errors.js';
import { parseFieldSelector } from './field-selector.js';
import { matchLabels, parseLabelSelector } from './label-selector.js';

export type FieldGetter = (obj: KubeObject) => string | undefined;

/** The value at a dotted path, as a string ('' for absent, 'true'/'false' for booleans). */
function at(path: string): FieldGetter {
  const names = path.split('.');
  return (obj) => {
    let value: unknown = obj;
    for (const name of names) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
    return value === undefined || value === null ? undefined : typeof value === 'object' ? JSON.stringify(value) : String(value);
  };
}

const fieldsOf = (...paths: string[]): Record<string, FieldGetter> => Object.fromEntries(paths.map((p) => [p, at(p)]));

/** Go formats absent booleans and counters as their zero value ("false", "0"), so they select too. */
const withDefault = (path: string, zero: string): Record<string, FieldGetter> => ({ [path]: (obj) => at(path)(obj) ?? zero });

/** Fields Kubernetes lets clients select on, per built-in kind (besides metadata.name/namespace). */
const kindFields: Readonly<Record<string, Record<string, FieldGetter>>> = {
  Pod: {
    ...fieldsOf('spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName',
      'status.phase', 'status.podIP', 'status.nominatedNodeName'),
    ...withDefault('spec.hostNetwork', 'false'),
  },
  Node: withDefault('spec.unschedulable', 'false'),
  Event: {
    ...fieldsOf('involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid',
      'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason',
      'reportingComponent', 'type'),
    source: (obj) => at('source.component')(obj) || at('reportingComponent')(obj),
  },
  Secret: fieldsOf('type'),
  Namespace: fieldsOf('status.phase'),
  Service: fieldsOf('spec.clusterIP', 'spec.type'),
  ReplicaSet: withDefault('status.replicas', '0'),
  ReplicationController: withDefault('status.replicas', '0'),
  Job: withDefault('status.successful', '0'),
};

/** Field getters for a kind: metadata.name and metadata.namespace plus the kind's own. */
export function defaultFieldGetters(kind?: string): Record<string, FieldGetter> {
  return {
    'metadata.name': (obj) => obj.metadata.name,
    'metadata.namespace': (obj) => obj.metadata.namespace,
    ...(kind !== undefined ? kindFields[kind] ?? {} : {}),
  };
}

export interface ObjectFilterOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Extra selectable fields; they override the defaults of the same name. */
  fields?: Record<string, FieldGetter>;
  /** Adds the built-in selectable fields of this kind. */
  kind?: string;
}

/** Compiles the selectors once; throws 400 BadRequest for bad syntax or an unsupported field. */
export function compileObjectFilter(opts: ObjectFilterOptions): (obj: KubeObject) => boolean {
  const labels = opts.labelSelector ? parseLabelSelector(opts.labelSelector) : [];
  const getters = { ...defaultFieldGetters(opts.kind), ...opts.fields };
  const fields = (opts.fieldSelector ? parseFieldSelector(opts.fieldSelector) : []).map((req) => {
    const get = getters[req.field];
    if (get === undefined) throw errors.badRequest(`field label not supported: ${req.field}`);
    return { ...req, get };
  });
  return (obj) => matchLabels(labels, obj.metadata.labels) && fields.every((req) => {
    const value = req.get(obj) ?? '';
    return req.operator === '=' ? value === req.value : value !== req.value;
  });
}
