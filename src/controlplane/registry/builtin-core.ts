// core/v1 resources as kube-apiserver 1.31 reports them in discovery (names, short names, categories,
// verbs), with their table columns, field-selector fields and strategies.
import type { KubeObject } from '../../api/index.js';
import { ageColumn } from './age.js';
import {
  configMapColumns, endpointsColumns, namespaceColumns, nodeColumns, secretColumns, serviceAccountColumns, serviceColumns,
} from './core-columns.js';
import { coreEventColumns } from './event-columns.js';
import { asNumber, asString, dig } from './object-access.js';
import { podColumns } from './pod-columns.js';
import { serviceStrategy } from './service-strategy.js';
import { configMapStrategy, namespaceStrategy, nodeStrategy, podStrategy, secretStrategy } from './strategies-core.js';
import type { ResourceDef } from './types.js';

export const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;

/** Built-ins have no published schema here; a permissive one lets OpenAPI consumers treat them as objects. */
export const looseSchema: Record<string, unknown> = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

type CoreInput = Pick<ResourceDef, 'resource' | 'singular' | 'kind' | 'namespaced' | 'columns'> & Partial<ResourceDef>;

function core(input: CoreInput): ResourceDef {
  return {
    group: '', version: 'v1', versions: ['v1'], listKind: `${input.kind}List`, shortNames: [], categories: [],
    verbs: [...allVerbs], subresources: {}, strategicMerge: true, age: false, schema: looseSchema, ...input,
  };
}

/** Field selector values are strings; absent strings select as '' (so `spec.nodeName=` finds unbound pods). */
const text = (...keys: string[]) => (o: KubeObject): string => asString(dig(o, ...keys));
const flag = (...keys: string[]) => (o: KubeObject): string => String(dig(o, ...keys) === true);

export function coreResources(): ResourceDef[] {
  const age = ageColumn();
  return [
    core({ resource: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'],
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: { status: true },
      columns: namespaceColumns(age), strategy: namespaceStrategy, selectableFields: { 'status.phase': text('status', 'phase') } }),
    core({ resource: 'nodes', singular: 'node', kind: 'Node', namespaced: false, shortNames: ['no'], subresources: { status: true },
      columns: nodeColumns(age), strategy: nodeStrategy, selectableFields: { 'spec.unschedulable': flag('spec', 'unschedulable') } }),
    core({ resource: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'],
      subresources: { status: true, binding: true, log: true, exec: true, eviction: true },
      columns: podColumns(age), strategy: podStrategy, selectableFields: {
        'spec.nodeName': text('spec', 'nodeName'),
        'spec.restartPolicy': text('spec', 'restartPolicy'),
        'spec.schedulerName': text('spec', 'schedulerName'),
        'spec.serviceAccountName': text('spec', 'serviceAccountName'),
        'spec.hostNetwork': flag('spec', 'hostNetwork'),
        'status.phase': text('status', 'phase'),
        'status.podIP': text('status', 'podIP'),
        'status.nominatedNodeName': text('status', 'nominatedNodeName'),
      } }),
    core({ resource: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'],
      columns: configMapColumns(age), strategy: configMapStrategy }),
    core({ resource: 'secrets', singular: 'secret', kind: 'Secret', namespaced: true,
      columns: secretColumns(age), strategy: secretStrategy, selectableFields: { type: text('type') } }),
    core({ resource: 'services', singular: 'service', kind: 'Service', namespaced: true, shortNames: ['svc'], categories: ['all'],
      subresources: { status: true }, columns: serviceColumns(age), strategy: serviceStrategy }),
    core({ resource: 'endpoints', singular: 'endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep'],
      columns: endpointsColumns(age) }),
    core({ resource: 'events', singular: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'],
      columns: coreEventColumns(), columnsComplete: true, selectableFields: {
        'involvedObject.kind': text('involvedObject', 'kind'),
        'involvedObject.namespace': text('involvedObject', 'namespace'),
        'involvedObject.name': text('involvedObject', 'name'),
        'involvedObject.uid': text('involvedObject', 'uid'),
        'involvedObject.apiVersion': text('involvedObject', 'apiVersion'),
        'involvedObject.resourceVersion': text('involvedObject', 'resourceVersion'),
        'involvedObject.fieldPath': text('involvedObject', 'fieldPath'),
        reason: text('reason'),
        reportingComponent: text('reportingComponent'),
        source: text('source', 'component'),
        type: text('type'),
      } }),
    core({ resource: 'serviceaccounts', singular: 'serviceaccount', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'],
      columns: serviceAccountColumns(age) }),
  ];
}

/** Exported for the apps group: field-selector value of an integer status field ("0" when absent). */
export const integerField = (...keys: string[]) => (o: KubeObject): string => String(asNumber(dig(o, ...keys)));
