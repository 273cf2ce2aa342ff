// Built-in resources outside core and apps: coordination.k8s.io leases, events.k8s.io events and
// apiextensions.k8s.io customresourcedefinitions, as kube-apiserver 1.31 reports them in discovery.
import { ageColumn } from './age.js';
import { allVerbs, looseSchema } from './builtin-core.js';
import { crdColumns, leaseColumns } from './core-columns.js';
import { crdStrategy } from './crd-status.js';
import { eventsV1Columns } from './event-columns.js';
import type { ResourceDef } from './types.js';

export function otherResources(): ResourceDef[] {
  const age = ageColumn();
  const common: Pick<ResourceDef, 'version' | 'versions' | 'verbs' | 'strategicMerge' | 'age' | 'schema'> = {
    version: 'v1', versions: ['v1'], verbs: [...allVerbs], strategicMerge: true, age: false, schema: looseSchema,
  };
  return [
    { ...common, group: 'coordination.k8s.io', resource: 'leases', singular: 'lease', kind: 'Lease', listKind: 'LeaseList',
      namespaced: true, shortNames: [], categories: [], subresources: {}, columns: leaseColumns(age) },
    // A separate store from core/v1 events (kube-apiserver shares one); our components write core events.
    { ...common, group: 'events.k8s.io', resource: 'events', singular: 'event', kind: 'Event', listKind: 'EventList',
      namespaced: true, shortNames: ['ev'], categories: [], subresources: {}, columns: eventsV1Columns(), columnsComplete: true },
    { ...common, group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', singular: 'customresourcedefinition',
      kind: 'CustomResourceDefinition', listKind: 'CustomResourceDefinitionList', namespaced: false, shortNames: ['crd', 'crds'],
      categories: ['api-extensions'], subresources: { status: true }, columns: crdColumns(), strategy: crdStrategy() },
  ];
}
