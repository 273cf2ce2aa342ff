// A small in-memory ObjectAPI for HTTP-layer tests: Map-backed objects of any resource the catalog
// knows, a global resourceVersion, watches with replay-less live events, and a record of every call
// so tests can assert how requests were routed. Patches are shallow JSON merges (the real patch
// logic is tested elsewhere); selectors understand `k=v`, `k!=v` and `k`.
import { randomUUID } from 'node:crypto';
import type { KubeList, KubeObject, Status } from '../api/index.js';
import { errors } from '../controlplane/apiserver/index.js';
import type {
  ApiWatch, ApiWatchEvent, DeleteOptions, ListOptions, ObjectAPI, PatchOptions, PatchType, RequestContext,
  ResourceRef, Subresource, WatchOptions,
} from '../controlplane/objects/index.js';
import type { ResourceDef } from '../controlplane/registry/index.js';

export interface FakeCall {
  method: string;
  ref?: ResourceRef;
  namespace?: string;
  name?: string;
  body?: unknown;
  patchType?: PatchType;
  options?: unknown;
  ctx?: RequestContext;
  subresource?: Subresource;
}

interface Watcher { ref: ResourceRef; options: WatchOptions; onEvent: (e: ApiWatchEvent) => void }

function matchesSelector(values: Record<string, string | undefined>, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const ne = /^([^!=]+)!=(.*)$/.exec(term);
    if (ne) return values[ne[1]!.trim()] !== ne[2]!.trim();
    const eq = /^([^=]+)==?(.*)$/.exec(term);
    if (eq) return (values[eq[1]!.trim()] ?? '') === eq[2]!.trim();
    return values[term.trim()] !== undefined;
  });
}

function mergeInto(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    const cur = out[k];
    if (v === null) delete out[k];
    else if (typeof v === 'object' && !Array.isArray(v) && typeof cur === 'object' && cur !== null && !Array.isArray(cur)) {
      out[k] = mergeInto(cur as Record<string, unknown>, v as Record<string, unknown>);
    } else out[k] = v;
  }
  return out;
}

export class FakeObjectAPI implements ObjectAPI {
  readonly calls: FakeCall[] = [];
  readonly #defs: (group: string, resource: string) => ResourceDef | undefined;
  readonly #objects = new Map<string, KubeObject>();
  readonly #watchers = new Set<Watcher>();
  #rv = 100;
  #oldestWatchable = 0;
  /** When set, the next call throws this (then it is cleared). */
  failNext: unknown;

  constructor(catalog: { get(group: string, resource: string): ResourceDef | undefined }) {
    this.#defs = (g, r) => catalog.get(g, r);
  }

  get watcherCount(): number { return this.#watchers.size; }
  get revision(): number { return this.#rv; }
  /** Ends every open watch with an ERROR event carrying `status` (as a failing store would). */
  breakWatches(status: Status): void {
    for (const w of [...this.#watchers]) w.onEvent({ type: 'ERROR', object: status });
  }
  /** Forget history: watches from any current or older resourceVersion now get 410 Gone. */
  compact(): void { this.#oldestWatchable = this.#rv + 1; }

  #record(call: FakeCall): void {
    this.calls.push(call);
    if (this.failNext !== undefined) {
      const err = this.failNext;
      this.failNext = undefined;
      throw err;
    }
  }

  def(ref: ResourceRef): ResourceDef {
    const d = this.#defs(ref.group, ref.resource);
    if (!d) throw errors.notFound({ group: ref.group, resource: ref.resource }, '');
    return d;
  }

  #key(ref: ResourceRef, ns: string, name: string): string { return `${ref.group}/${ref.resource}/${ns}/${name}`; }

  #apiVersion(ref: ResourceRef): string {
    const d = this.def(ref);
    const v = ref.version ?? d.version;
    return d.group ? `${d.group}/${v}` : v;
  }

  #mustGet(ref: ResourceRef, ns: string, name: string): KubeObject {
    const obj = this.#objects.get(this.#key(ref, ns, name));
    if (!obj) throw errors.notFound(ref, name);
    return obj;
  }

  get(ref: ResourceRef, namespace: string, name: string, subresource?: Subresource): KubeObject {
    this.#record({ method: 'get', ref, namespace, name, ...(subresource ? { subresource } : {}) });
    const obj = structuredClone(this.#mustGet(ref, namespace, name));
    if (subresource !== 'scale') return obj;
    const spec = (obj['spec'] ?? {}) as Record<string, unknown>;
    return { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { ...obj.metadata }, spec: { replicas: spec['replicas'] ?? 0 }, status: { replicas: 0 } };
  }

  #selected(ref: ResourceRef, o: ListOptions | WatchOptions, obj: KubeObject): boolean {
    const meta = obj.metadata;
    if (o.namespace && meta.namespace !== o.namespace) return false;
    if (!matchesSelector(meta.labels ?? {}, o.labelSelector)) return false;
    const fields = { 'metadata.name': meta.name, 'metadata.namespace': meta.namespace ?? '', 'spec.nodeName': (obj['spec'] as Record<string, string> | undefined)?.['nodeName'] };
    return matchesSelector(fields, o.fieldSelector);
  }

  #ofResource(ref: ResourceRef): KubeObject[] {
    const prefix = `${ref.group}/${ref.resource}/`;
    return [...this.#objects].filter(([k]) => k.startsWith(prefix)).map(([, o]) => o);
  }

  list(ref: ResourceRef, options: ListOptions = {}): KubeList {
    this.#record({ method: 'list', ref, options });
    const d = this.def(ref);
    const items = this.#ofResource(ref).filter((o) => this.#selected(ref, options, o)).map((o) => structuredClone(o));
    const limited = options.limit ? items.slice(0, options.limit) : items;
    return { apiVersion: this.#apiVersion(ref), kind: d.listKind, metadata: { resourceVersion: String(this.#rv), ...(limited.length < items.length ? { continue: 'next' } : {}) }, items: limited };
  }

  watch(ref: ResourceRef, options: WatchOptions, onEvent: (event: ApiWatchEvent) => void): ApiWatch {
    this.#record({ method: 'watch', ref, options });
    const from = options.resourceVersion && options.resourceVersion !== '0' ? Number(options.resourceVersion) : undefined;
    if (from !== undefined && from < this.#oldestWatchable) throw errors.gone(`too old resource version: ${from} (${this.#oldestWatchable})`);
    const watcher: Watcher = { ref, options, onEvent };
    if (from === undefined) {
      for (const o of this.#ofResource(ref)) if (this.#selected(ref, options, o)) onEvent({ type: 'ADDED', object: structuredClone(o) });
    }
    this.#watchers.add(watcher);
    return { stop: () => { this.#watchers.delete(watcher); } };
  }

  #emit(ref: ResourceRef, type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject): void {
    for (const w of [...this.#watchers]) {
      if (w.ref.group === ref.group && w.ref.resource === ref.resource && this.#selected(ref, w.options, obj)) w.onEvent({ type, object: structuredClone(obj) });
    }
  }

  #store(ref: ResourceRef, obj: KubeObject, type: 'ADDED' | 'MODIFIED', dryRun: boolean | undefined): KubeObject {
    if (dryRun) return obj;
    obj.metadata.resourceVersion = String(++this.#rv);
    this.#objects.set(this.#key(ref, obj.metadata.namespace ?? '', obj.metadata.name ?? ''), structuredClone(obj));
    this.#emit(ref, type, obj);
    return structuredClone(obj);
  }

  create(ref: ResourceRef, namespace: string, obj: KubeObject, ctx?: RequestContext): KubeObject {
    this.#record({ method: 'create', ref, namespace, body: structuredClone(obj), ...(ctx ? { ctx } : {}) });
    const o = structuredClone(obj);
    if (!o.metadata.name && o.metadata.generateName) o.metadata.name = `${o.metadata.generateName}${randomUUID().slice(0, 5)}`;
    const name = o.metadata.name ?? '';
    if (!name) throw errors.invalid(this.def(ref).kind, ref.group, '', [{ field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
    if (this.#objects.has(this.#key(ref, namespace, name))) throw errors.alreadyExists(ref, name);
    o.apiVersion = this.#apiVersion(ref);
    o.metadata = { ...o.metadata, ...(namespace ? { namespace } : {}), uid: randomUUID(), creationTimestamp: new Date().toISOString() };
    return this.#store(ref, o, 'ADDED', ctx?.dryRun);
  }

  update(ref: ResourceRef, namespace: string, name: string, obj: KubeObject, ctx?: RequestContext, subresource?: Subresource): KubeObject {
    this.#record({ method: 'update', ref, namespace, name, body: structuredClone(obj), ...(ctx ? { ctx } : {}), ...(subresource ? { subresource } : {}) });
    const cur = this.#mustGet(ref, namespace, name);
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== cur.metadata.resourceVersion) {
      throw errors.conflict(ref, name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    const next: KubeObject = subresource === 'scale'
      ? mergeInto(cur, { spec: { replicas: (obj['spec'] as Record<string, unknown> | undefined)?.['replicas'] } }) as KubeObject
      : { ...structuredClone(obj), metadata: { ...obj.metadata, uid: cur.metadata.uid, creationTimestamp: cur.metadata.creationTimestamp } };
    return this.#store(ref, next, 'MODIFIED', ctx?.dryRun);
  }

  patch(ref: ResourceRef, namespace: string, name: string, type: PatchType, patch: unknown, options?: PatchOptions, subresource?: Subresource): KubeObject {
    this.#record({ method: 'patch', ref, namespace, name, patchType: type, body: patch, ...(options ? { options } : {}), ...(subresource ? { subresource } : {}) });
    const cur = this.#objects.get(this.#key(ref, namespace, name));
    if (!cur && type === 'apply') return this.create(ref, namespace, { ...(patch as KubeObject), metadata: { ...(patch as KubeObject).metadata, name } }, options);
    if (!cur) throw errors.notFound(ref, name);
    if (type === 'json') throw errors.badRequest('the fake object API does not apply JSON patches');
    return this.#store(ref, mergeInto(cur, patch as Record<string, unknown>) as KubeObject, 'MODIFIED', options?.dryRun);
  }

  delete(ref: ResourceRef, namespace: string, name: string, options?: DeleteOptions, ctx?: RequestContext): KubeObject {
    this.#record({ method: 'delete', ref, namespace, name, ...(options ? { options } : {}), ...(ctx ? { ctx } : {}) });
    const cur = this.#mustGet(ref, namespace, name);
    if (options?.dryRun) return structuredClone(cur);
    if (cur.metadata.finalizers?.length) {
      return this.#store(ref, { ...cur, metadata: { ...cur.metadata, deletionTimestamp: new Date().toISOString() } }, 'MODIFIED', false);
    }
    this.#objects.delete(this.#key(ref, namespace, name));
    const last = { ...structuredClone(cur), metadata: { ...cur.metadata, resourceVersion: String(++this.#rv) } };
    this.#emit(ref, 'DELETED', last);
    return last;
  }

  deleteCollection(ref: ResourceRef, options: ListOptions & DeleteOptions, ctx?: RequestContext): KubeList {
    this.#record({ method: 'deleteCollection', ref, options, ...(ctx ? { ctx } : {}) });
    const list = this.list(ref, options);
    for (const item of list.items) this.delete(ref, item.metadata.namespace ?? '', item.metadata.name ?? '', options, ctx);
    return list;
  }

  bind(namespace: string, podName: string, binding: KubeObject, ctx?: RequestContext): Status {
    const ref = { group: '', resource: 'pods' };
    this.#record({ method: 'bind', ref, namespace, name: podName, body: binding, ...(ctx ? { ctx } : {}) });
    const pod = this.#mustGet(ref, namespace, podName);
    const target = (binding['target'] as { name?: string } | undefined)?.name ?? '';
    this.#store(ref, mergeInto(pod, { spec: { nodeName: target } }) as KubeObject, 'MODIFIED', ctx?.dryRun);
    return { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success', code: 201 };
  }
}
