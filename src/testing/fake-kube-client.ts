// An in-memory KubeClient for unit tests of cloudcore's controllers (edgecontroller, synccontroller,
// certs, informers). It keeps the semantics those controllers rely on: one global resourceVersion
// counter, uid and creationTimestamp on create, 409 on a stale update or an existing name, 404 as
// `undefined` from get, watches that replay a bounded history and fail with 410 when asked for a
// version older than it, label selectors (`k=v`, `k==v`, `k!=v`, `k`) and the field selectors
// `metadata.name`, `metadata.namespace` and `spec.nodeName`. Merge and strategic patches are both
// RFC 7386 merges; JSON patches understand add/replace/remove/test on object paths.
// Test hooks: `calls` (every request), `failNext(method, err)`, `endWatches()`, `expireWatches()`.
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../api/index.js';
import {
  KubeError, type KubeClient, type ListOptions, type ObjectList, type PatchType, type ResourceRef, type WatchEvent,
  type WatchOptions,
} from '../cloud/kube/index.js';

export type FakeMethod = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';
export interface FakeKubeCall { method: FakeMethod; plural: string; namespace?: string | null; name?: string; subresource?: string }

export interface FakeKubeClientOptions {
  /** Events kept for watch replay (default 1000); older resourceVersions get 410. */
  historySize?: number;
  /** Plurals whose status is only written through the status subresource (as for CRDs with it). */
  statusSubresources?: string[];
  /** Clock for creationTimestamp. */
  now?: () => Date;
}

interface Watcher { key: string; opts: WatchOptions; onEvent: (ev: WatchEvent) => void; finish: (err?: Error) => void }
interface HistoryEntry { key: string; rv: number; ev: WatchEvent }

const clone = <T>(v: T): T => structuredClone(v);
const refKey = (ref: ResourceRef): string => `${ref.group}/${ref.plural}`;
const objKey = (ref: ResourceRef, ns: string | null | undefined, name: string): string =>
  ref.namespaced && ns ? `${ns}/${name}` : name;

export function matchesLabels(labels: Record<string, string> | undefined, selector: string | undefined): boolean {
  if (!selector) return true;
  const l = labels ?? {};
  return selector.split(',').map((t) => t.trim()).filter((t) => t !== '').every((term) => {
    const ne = /^([^!=]+)!=(.*)$/.exec(term);
    if (ne) return l[ne[1]!.trim()] !== ne[2]!.trim();
    const eq = /^([^=]+)==?(.*)$/.exec(term);
    if (eq) return l[eq[1]!.trim()] === eq[2]!.trim();
    if (term.startsWith('!')) return l[term.slice(1)] === undefined;
    return l[term] !== undefined;
  });
}

export function matchesFields(obj: KubeObject, selector: string | undefined): boolean {
  if (!selector) return true;
  const fields: Record<string, string | undefined> = {
    'metadata.name': obj.metadata.name,
    'metadata.namespace': obj.metadata.namespace,
    'spec.nodeName': (obj['spec'] as { nodeName?: string } | undefined)?.nodeName ?? '',
  };
  return selector.split(',').every((term) => {
    const ne = /^([^!=]+)!=(.*)$/.exec(term);
    if (ne) return (fields[ne[1]!.trim()] ?? '') !== ne[2]!.trim();
    const eq = /^([^=]+)==?(.*)$/.exec(term);
    if (!eq) throw new KubeError(400, 'BadRequest', `invalid field selector "${term}"`);
    return (fields[eq[1]!.trim()] ?? '') === eq[2]!.trim();
  });
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return clone(patch);
  const out: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function jsonPatch(target: KubeObject, ops: unknown): KubeObject {
  if (!Array.isArray(ops)) throw new KubeError(400, 'BadRequest', 'json patch must be an array');
  const doc = clone(target) as unknown as Record<string, unknown>;
  for (const op of ops as { op: string; path: string; value?: unknown }[]) {
    const parts = op.path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop();
    if (last === undefined) throw new KubeError(422, 'Invalid', `bad path "${op.path}"`);
    let cur: Record<string, unknown> = doc;
    for (const p of parts) {
      const next = cur[p];
      if (typeof next !== 'object' || next === null) throw new KubeError(422, 'Invalid', `path "${op.path}" not found`);
      cur = next as Record<string, unknown>;
    }
    if (op.op === 'add' || op.op === 'replace') cur[last] = clone(op.value);
    else if (op.op === 'remove') delete cur[last];
    else if (op.op === 'test') {
      if (JSON.stringify(cur[last]) !== JSON.stringify(op.value)) throw new KubeError(422, 'Invalid', `test failed at "${op.path}"`);
    } else throw new KubeError(422, 'Invalid', `unsupported op "${op.op}"`);
  }
  return doc as unknown as KubeObject;
}

export class FakeKubeClient implements KubeClient {
  readonly calls: FakeKubeCall[] = [];
  private readonly stores = new Map<string, Map<string, KubeObject>>();
  private readonly history: HistoryEntry[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly failures: { method: FakeMethod; err: Error }[] = [];
  private readonly statusOnly: Set<string>;
  private readonly historySize: number;
  private readonly now: () => Date;
  private rv = 0;

  constructor(opts: FakeKubeClientOptions = {}) {
    this.historySize = opts.historySize ?? 1000;
    this.statusOnly = new Set(opts.statusSubresources ?? ['objectsyncs', 'clusterobjectsyncs']);
    this.now = opts.now ?? (() => new Date());
  }

  /** The current global resourceVersion. */
  get resourceVersion(): string { return String(this.rv); }

  /** The next call of `method` rejects with `err` (queued in order). */
  failNext(method: FakeMethod, err: Error): void { this.failures.push({ method, err }); }

  /** Ends every open watch cleanly (as a server-side timeout does). */
  endWatches(): void { for (const w of [...this.watchers]) w.finish(); }

  /** Fails every open watch with 410 Expired and forgets the history (as an etcd compaction does). */
  expireWatches(): void {
    this.history.length = 0;
    for (const w of [...this.watchers]) w.finish(new KubeError(410, 'Expired', 'too old resource version'));
  }

  watcherCount(): number { return this.watchers.size; }

  /** Stored objects of a resource, without recording a call. */
  objects(ref: ResourceRef): KubeObject[] { return [...this.store(ref).values()].map(clone); }

  async get(ref: ResourceRef, namespace: string | null, name: string): Promise<KubeObject | undefined> {
    this.enter('get', ref, namespace, name);
    const obj = this.store(ref).get(objKey(ref, namespace, name));
    return obj ? clone(obj) : undefined;
  }

  async list(ref: ResourceRef, opts: ListOptions = {}): Promise<ObjectList> {
    this.enter('list', ref, opts.namespace);
    const items = [...this.store(ref).values()].filter((o) => this.matches(ref, o, opts)).map(clone);
    return { items, resourceVersion: String(this.rv) };
  }

  watch(ref: ResourceRef, opts: WatchOptions, onEvent: (ev: WatchEvent) => void, signal: AbortSignal): Promise<void> {
    try { this.enter('watch', ref, opts.namespace); } catch (err) { return Promise.reject(err); }
    const from = Number(opts.resourceVersion || '0');
    const oldest = this.history[0]?.rv ?? this.rv + 1;
    if (from > 0 && from < oldest - 1) return Promise.reject(new KubeError(410, 'Expired', `too old resource version: ${from}`));
    return new Promise<void>((resolve, reject) => {
      const key = refKey(ref);
      const w: Watcher = {
        key, opts, onEvent,
        finish: (err) => {
          this.watchers.delete(w);
          signal.removeEventListener('abort', onAbort);
          if (err) reject(err); else resolve();
        },
      };
      const onAbort = (): void => w.finish();
      if (signal.aborted) { resolve(); return; }
      signal.addEventListener('abort', onAbort, { once: true });
      this.watchers.add(w);
      // resourceVersion "0" (or none) means "from any point": the current objects as ADDED.
      if (from === 0) for (const o of this.store(ref).values()) this.deliver(w, ref, { type: 'ADDED', object: o });
      else for (const h of this.history) if (h.key === key && h.rv > from) this.deliver(w, ref, h.ev);
    });
  }

  async create(ref: ResourceRef, obj: KubeObject): Promise<KubeObject> {
    this.enter('create', ref, obj.metadata.namespace, obj.metadata.name);
    const o = clone(obj);
    if (!o.metadata.name && o.metadata.generateName) o.metadata.name = `${o.metadata.generateName}${randomUUID().slice(0, 5)}`;
    if (!o.metadata.name) throw new KubeError(422, 'Invalid', 'metadata.name: Required value');
    if (ref.namespaced && !o.metadata.namespace) throw new KubeError(422, 'Invalid', 'metadata.namespace: Required value');
    if (!ref.namespaced) delete o.metadata.namespace;
    const key = objKey(ref, o.metadata.namespace, o.metadata.name);
    if (this.store(ref).has(key)) throw new KubeError(409, 'AlreadyExists', `${ref.plural} "${o.metadata.name}" already exists`);
    if (this.statusOnly.has(ref.plural)) delete o['status'];
    o.apiVersion = ref.group ? `${ref.group}/${ref.version}` : ref.version;
    o.kind = ref.kind;
    o.metadata.uid = randomUUID();
    o.metadata.creationTimestamp = this.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
    return this.commit(ref, key, o, 'ADDED');
  }

  async update(ref: ResourceRef, obj: KubeObject, subresource?: 'status'): Promise<KubeObject> {
    this.enter('update', ref, obj.metadata.namespace, obj.metadata.name, subresource);
    const key = objKey(ref, obj.metadata.namespace, obj.metadata.name ?? '');
    const cur = this.store(ref).get(key);
    if (!cur) throw new KubeError(404, 'NotFound', `${ref.plural} "${obj.metadata.name}" not found`);
    const want = obj.metadata.resourceVersion;
    if (want && want !== cur.metadata.resourceVersion) {
      throw new KubeError(409, 'Conflict', `the object has been modified; please apply your changes to the latest version and try again`);
    }
    return this.commit(ref, key, this.written(ref, cur, clone(obj), subresource), 'MODIFIED');
  }

  async patch(
    ref: ResourceRef, namespace: string | null, name: string, body: unknown, type: PatchType, subresource?: 'status',
  ): Promise<KubeObject> {
    this.enter('patch', ref, namespace, name, subresource);
    const key = objKey(ref, namespace, name);
    const cur = this.store(ref).get(key);
    if (!cur) throw new KubeError(404, 'NotFound', `${ref.plural} "${name}" not found`);
    const next = type === 'json' ? jsonPatch(cur, body) : mergePatch(cur, body) as KubeObject;
    return this.commit(ref, key, this.written(ref, cur, next, subresource), 'MODIFIED');
  }

  async delete(ref: ResourceRef, namespace: string | null, name: string, opts: { uid?: string } = {}): Promise<void> {
    this.enter('delete', ref, namespace, name);
    const key = objKey(ref, namespace, name);
    const cur = this.store(ref).get(key);
    if (!cur) return;
    if (opts.uid && opts.uid !== cur.metadata.uid) throw new KubeError(409, 'Conflict', `uid precondition failed for ${name}`);
    this.store(ref).delete(key);
    const gone = clone(cur);
    gone.metadata.resourceVersion = String(++this.rv);
    this.publish(ref, { type: 'DELETED', object: gone });
  }

  private written(ref: ResourceRef, cur: KubeObject, next: KubeObject, subresource?: 'status'): KubeObject {
    // Identity fields are the server's; a status write changes only status, a main write keeps it
    // for resources with a status subresource.
    const out = subresource === 'status' ? { ...clone(cur), status: next['status'] } : next;
    if (subresource !== 'status' && this.statusOnly.has(ref.plural)) {
      if (cur['status'] === undefined) delete out['status']; else out['status'] = clone(cur['status']);
    }
    out.metadata = { ...out.metadata, name: cur.metadata.name, uid: cur.metadata.uid, creationTimestamp: cur.metadata.creationTimestamp };
    if (cur.metadata.namespace !== undefined) out.metadata.namespace = cur.metadata.namespace;
    out.apiVersion = cur.apiVersion;
    out.kind = cur.kind;
    return out;
  }

  private commit(ref: ResourceRef, key: string, obj: KubeObject, type: 'ADDED' | 'MODIFIED'): KubeObject {
    obj.metadata.resourceVersion = String(++this.rv);
    this.store(ref).set(key, obj);
    this.publish(ref, { type, object: clone(obj) });
    return clone(obj);
  }

  private publish(ref: ResourceRef, ev: WatchEvent): void {
    const key = refKey(ref);
    this.history.push({ key, rv: this.rv, ev });
    if (this.history.length > this.historySize) this.history.shift();
    for (const w of [...this.watchers]) if (w.key === key) this.deliver(w, ref, ev);
  }

  private deliver(w: Watcher, ref: ResourceRef, ev: WatchEvent): void {
    if (!this.matches(ref, ev.object, w.opts)) return;
    w.onEvent(clone(ev));
  }

  private matches(ref: ResourceRef, o: KubeObject, opts: ListOptions): boolean {
    if (ref.namespaced && opts.namespace && o.metadata.namespace !== opts.namespace) return false;
    return matchesLabels(o.metadata.labels, opts.labelSelector) && matchesFields(o, opts.fieldSelector);
  }

  private store(ref: ResourceRef): Map<string, KubeObject> {
    const key = refKey(ref);
    let s = this.stores.get(key);
    if (!s) { s = new Map(); this.stores.set(key, s); }
    return s;
  }

  private enter(method: FakeMethod, ref: ResourceRef, namespace?: string | null, name?: string, subresource?: string): void {
    const call: FakeKubeCall = { method, plural: ref.plural };
    if (namespace !== undefined) call.namespace = namespace;
    if (name !== undefined) call.name = name;
    if (subresource !== undefined) call.subresource = subresource;
    this.calls.push(call);
    const i = this.failures.findIndex((f) => f.method === method);
    if (i >= 0) {
      const [f] = this.failures.splice(i, 1);
      throw f!.err;
    }
  }
}
