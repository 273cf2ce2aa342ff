// apimachinery schemas every document needs: ObjectMeta and friends, lists, Status, DeleteOptions, Patch.
// ObjectMeta is spelled out in full because `kubectl explain <kind>.metadata` shows it and strategic
// merge descends into labels, annotations, finalizers and ownerReferences.
import {
  atomicList, bool, int, intOrStringName, keyedList, mergedStringSet, metaName, obj, quantityName, ref, str,
  stringList, stringMap, time, type Schema,
} from './schema-builders.js';

const objectMeta: Schema = obj({
  annotations: stringMap('Unstructured key value map stored with a resource.'),
  creationTimestamp: time('When this object was created (set by the server).'),
  deletionGracePeriodSeconds: int('int64', 'Seconds allowed for graceful termination before the object is removed.'),
  deletionTimestamp: time('When this object will be deleted (set by the server when deletion is requested).'),
  finalizers: mergedStringSet('Must be empty before the object is deleted from the registry.'),
  generateName: str('Prefix the server uses to generate a unique name when name is empty.'),
  generation: int('int64', 'Sequence number of the desired state (spec).'),
  labels: stringMap('Key value map used to organize and select objects.'),
  managedFields: atomicList(ref(metaName('ManagedFieldsEntry')), 'Which field manager owns which fields.'),
  name: str('Name, unique within a namespace.'),
  namespace: str('Namespace the object lives in; empty for cluster-scoped objects.'),
  ownerReferences: keyedList(metaName('OwnerReference'), ['uid'], { description: 'Objects this object depends on.' }),
  resourceVersion: str('Opaque version of this object, used for optimistic concurrency and watches.'),
  selfLink: str('Deprecated; not set.'),
  uid: str('Unique id of this object in time and space (set by the server).'),
}, { description: 'Metadata all persisted resources must have.' });

const ownerReference: Schema = obj({
  apiVersion: str('API version of the referent.'),
  blockOwnerDeletion: bool('Whether foreground deletion of the owner waits for this dependent.'),
  controller: bool('Whether the owner is the managing controller.'),
  kind: str('Kind of the referent.'),
  name: str('Name of the referent.'),
  uid: str('UID of the referent.'),
}, { required: ['apiVersion', 'kind', 'name', 'uid'], 'x-kubernetes-map-type': 'atomic', description: 'Identifies an owning object.' });

const labelSelector: Schema = obj({
  matchExpressions: atomicList(ref(metaName('LabelSelectorRequirement')), 'Label selector requirements, ANDed.'),
  matchLabels: stringMap('Labels that must all match.'),
}, { 'x-kubernetes-map-type': 'atomic', description: 'A label query over a set of resources.' });

const labelSelectorRequirement: Schema = obj({
  key: str(), operator: str('In, NotIn, Exists or DoesNotExist.'), values: stringList(),
}, { required: ['key', 'operator'] });

const listMeta: Schema = obj({
  continue: str('Token to fetch the next page of a paginated list.'),
  remainingItemCount: int('int64'),
  resourceVersion: str('Version of the list, for watches.'),
  selfLink: str(),
}, { description: 'Metadata of a list.' });

const status: Schema = obj({
  apiVersion: str(), code: int('int32', 'HTTP status code.'), details: ref(metaName('StatusDetails')), kind: str(),
  message: str(), metadata: ref(metaName('ListMeta')), reason: str(), status: str('Success or Failure.'),
}, { description: 'Result of an operation that returns no object.', 'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }] });

const deleteOptions: Schema = obj({
  apiVersion: str(), dryRun: stringList(), gracePeriodSeconds: int('int64'), kind: str(),
  orphanDependents: bool(), preconditions: obj({ resourceVersion: str(), uid: str() }),
  propagationPolicy: str('Orphan, Background or Foreground.'),
}, { description: 'Options of a delete call.' });

/** Schemas named `io.k8s.apimachinery.*`, keyed by their full name. */
export const metaSchemas: Readonly<Record<string, Schema>> = {
  [metaName('ObjectMeta')]: objectMeta,
  [metaName('OwnerReference')]: ownerReference,
  [metaName('ManagedFieldsEntry')]: obj({
    apiVersion: str(), fieldsType: str(), fieldsV1: obj(undefined, { description: 'Fields owned, in FieldsV1 format.' }),
    manager: str(), operation: str(), subresource: str(), time: time(),
  }),
  [metaName('LabelSelector')]: labelSelector,
  [metaName('LabelSelectorRequirement')]: labelSelectorRequirement,
  [metaName('ListMeta')]: listMeta,
  [metaName('Status')]: status,
  [metaName('StatusDetails')]: obj({
    causes: atomicList(ref(metaName('StatusCause'))), group: str(), kind: str(), name: str(),
    retryAfterSeconds: int('int32'), uid: str(),
  }),
  [metaName('StatusCause')]: obj({ field: str(), message: str(), reason: str() }),
  [metaName('DeleteOptions')]: deleteOptions,
  [metaName('Patch')]: obj(undefined, { description: 'A patch body; its shape depends on the Content-Type.' }),
  [metaName('Condition')]: obj({
    lastTransitionTime: time(), message: str(), observedGeneration: int('int64'), reason: str(), status: str(), type: str(),
  }, { required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'] }),
  [quantityName]: { type: 'string', description: 'A fixed-point number such as 100m, 1Gi or 2.' },
  [intOrStringName]: { type: 'string', format: 'int-or-string', description: 'An int32 or a string.' },
};
