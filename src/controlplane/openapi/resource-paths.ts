// The `paths` of an OpenAPI v3 document for one resource, as kube-apiserver lays them out. kubectl uses
// them to find a kind: `kubectl explain` looks for the GVK on the collection and item paths, and
// `kubectl apply` looks for the PATCH operation carrying the GVK (x-kubernetes-group-version-kind is a
// single object on operations, a list on schemas).
import type { ResourceDef } from '../registry/types.js';
import type { KindSchemas } from './kind-schemas.js';
import {
  deleteParams, execParams, listParams, logParams, nameParam, namespaceParam, patchBody, patchParams, prettyParam,
  requestBody, responses, textResponse, writeParams,
} from './operation-parameters.js';
import { coreName, metaName, type GroupVersionKind, type Schema } from './schema-builders.js';
import { operationGroupVersion } from './schema-names.js';

type Operations = Record<string, Schema>;

interface Target {
  def: ResourceDef;
  /** Operation id without the verb, e.g. 'CoreV1NamespacedPod' (+ 'Status'). */
  id: string;
  gvk: GroupVersionKind;
  strategicMerge: boolean;
}

/** Operation id parts: readCoreV1NamespacedPodStatus, deleteCoreV1CollectionNamespacedPod. */
function operationId(def: ResourceDef, version: string, opts: { collection?: boolean; allNamespaces?: boolean } = {}): string {
  const gv = operationGroupVersion(def.group, version);
  if (opts.allNamespaces) return `${gv}${def.kind}ForAllNamespaces`;
  return `${gv}${opts.collection ? 'Collection' : ''}${def.namespaced ? 'Namespaced' : ''}${def.kind}`;
}

const scaleName = 'io.k8s.api.autoscaling.v1.Scale';
const scaleGvk = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

function op(verb: string, action: string, target: Target, fields: Schema, gvk = target.gvk): Schema {
  return {
    operationId: verb + target.id,
    ...fields,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: gvk.group, kind: gvk.kind, version: gvk.version },
  };
}

function has(def: ResourceDef, verb: string): boolean {
  return def.verbs.includes(verb);
}

function collectionOps(t: Target, names: KindSchemas, collectionId: string): Operations {
  const ops: Operations = {};
  if (has(t.def, 'list')) ops['get'] = op('list', 'list', t, { parameters: listParams, responses: responses({ '200': names.listName }) });
  if (has(t.def, 'create')) {
    ops['post'] = op('create', 'post', t, {
      parameters: writeParams, requestBody: requestBody(names.kindName),
      responses: responses({ '200': names.kindName, '201': names.kindName, '202': names.kindName }),
    });
  }
  if (has(t.def, 'deletecollection')) {
    ops['delete'] = op('delete', 'deletecollection', { ...t, id: collectionId }, {
      parameters: [...deleteParams, ...listParams], responses: responses({ '200': metaName('Status') }),
    });
  }
  return ops;
}

/** get / put / patch on an object or one of its subresources that reads and writes `bodyName`. */
function objectOps(t: Target, bodyName: string, suffix: string, gvk: GroupVersionKind, withDelete: boolean): Operations {
  const ops: Operations = {};
  const at = { ...t, id: t.id + suffix };
  if (has(t.def, 'get')) ops['get'] = op('read', 'get', at, { responses: responses({ '200': bodyName }) }, gvk);
  if (has(t.def, 'update')) {
    ops['put'] = op('replace', 'put', at, {
      parameters: writeParams, requestBody: requestBody(bodyName), responses: responses({ '200': bodyName, '201': bodyName }),
    }, gvk);
  }
  if (has(t.def, 'patch')) {
    ops['patch'] = op('patch', 'patch', at, {
      parameters: patchParams, requestBody: patchBody(t.strategicMerge), responses: responses({ '200': bodyName, '201': bodyName }),
    }, gvk);
  }
  if (withDelete && has(t.def, 'delete')) {
    ops['delete'] = op('delete', 'delete', at, {
      parameters: deleteParams, requestBody: requestBody(metaName('DeleteOptions')),
      responses: responses({ '200': metaName('Status'), '202': metaName('Status') }),
    }, gvk);
  }
  return ops;
}

function subresourcePaths(t: Target, item: string, names: KindSchemas): Record<string, Operations> {
  const sub = t.def.subresources;
  const v1 = (kind: string) => ({ group: '', version: 'v1', kind });
  const paths: Record<string, Operations> = {};
  if (sub.status) paths[`${item}/status`] = objectOps(t, names.kindName, 'Status', t.gvk, false);
  if (sub.scale) paths[`${item}/scale`] = objectOps(t, scaleName, 'Scale', scaleGvk, false);
  const create = (suffix: string, body: string, gvk: GroupVersionKind): Operations => ({
    post: op('create', 'post', { ...t, id: t.id + suffix }, {
      parameters: writeParams, requestBody: requestBody(body), responses: responses({ '200': body, '201': body }),
    }, gvk),
  });
  if (sub.binding) paths[`${item}/binding`] = create('Binding', coreName('Binding'), v1('Binding'));
  if (sub.eviction) paths[`${item}/eviction`] = create('Eviction', 'io.k8s.api.policy.v1.Eviction', { group: 'policy', version: 'v1', kind: 'Eviction' });
  if (sub.log) {
    paths[`${item}/log`] = { get: op('read', 'get', { ...t, id: `${t.id}Log` }, { parameters: logParams, responses: textResponse('text/plain') }) };
  }
  if (sub.exec) {
    const exec = (method: string) => op(`connect${method}`, 'connect', { ...t, id: `${t.id}Exec` }, { parameters: execParams, responses: textResponse('*/*') }, v1('PodExecOptions'));
    paths[`${item}/exec`] = { get: exec('Get'), post: exec('Post') };
  }
  return paths;
}

function withParams(ops: Operations, params: Schema[]): Schema {
  return Object.keys(ops).length > 0 ? { ...ops, parameters: params } : ops;
}

/** Every path of one resource in one served version. */
export function resourcePaths(def: ResourceDef, version: string, names: KindSchemas): Record<string, Schema> {
  const base = def.group ? `/apis/${def.group}/${version}` : `/api/${version}`;
  const t: Target = { def, id: operationId(def, version), gvk: names.gvk, strategicMerge: names.strategicMerge };
  const collection = def.namespaced ? `${base}/namespaces/{namespace}/${def.resource}` : `${base}/${def.resource}`;
  const item = `${collection}/{name}`;
  const scope = def.namespaced ? [namespaceParam, prettyParam] : [prettyParam];
  const itemScope = [nameParam, ...scope];
  const paths: Record<string, Schema> = {
    [collection]: withParams(collectionOps(t, names, operationId(def, version, { collection: true })), scope),
    [item]: withParams(objectOps(t, names.kindName, '', names.gvk, true), itemScope),
  };
  for (const [path, ops] of Object.entries(subresourcePaths(t, item, names))) paths[path] = withParams(ops, itemScope);
  if (def.namespaced && has(def, 'list')) {
    const all = { ...t, id: operationId(def, version, { allNamespaces: true }) };
    paths[`${base}/${def.resource}`] = withParams({ get: op('list', 'list', all, { parameters: listParams, responses: responses({ '200': names.listName }) }) }, [prettyParam]);
  }
  return Object.fromEntries(Object.entries(paths).filter(([, ops]) => Object.keys(ops).length > 0));
}
