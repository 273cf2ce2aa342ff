// The namespace controller: a namespace with a deletionTimestamp is emptied (every namespaced built-in
// and every namespaced custom resource), then the `kubernetes` finalizer is removed from
// spec.finalizers and the object API deletes the namespace. Objects that linger (finalizers, pods
// waiting for their node) are waited for; the namespace then stays Terminating, as in Kubernetes.
import type { KubeObject } from '../../api/index.js';
import { isApiError } from '../errors.js';
import type { ResourceRef } from '../objects/index.js';
import { errorText, objectKey, type Informer } from './informer.js';
import { clone, specOf, statusOf } from './kube-types.js';
import { QueueController } from './queue-controller.js';
import { namespacedResources, refs } from './resources.js';
import type { ControllerDeps } from './types.js';
import type { ProcessResult } from './work-queue.js';

export const namespaceFinalizer = 'kubernetes';

export interface NamespaceDeps extends ControllerDeps {
  /** How soon to look again while objects remain (default 1 s). */
  recheckMs?: number;
}

export class NamespaceController extends QueueController {
  private readonly namespaces: Informer;
  private readonly recheckMs: number;

  constructor(deps: NamespaceDeps) {
    super(deps, { name: 'namespace', component: 'namespace-controller' });
    this.recheckMs = deps.recheckMs ?? 1_000;
    this.namespaces = this.use(refs.namespaces);
    const enqueue = (ns: KubeObject): void => { if (ns.metadata.deletionTimestamp) this.queue.add(objectKey(ns)); };
    this.namespaces.addHandlers({ add: enqueue, update: (_o, ns) => enqueue(ns) });
  }

  protected override resyncKeys(): string[] {
    return this.namespaces.list().filter((n) => n.metadata.deletionTimestamp).map(objectKey);
  }

  protected reconcile(name: string): ProcessResult {
    const ns = this.namespaces.get('', name);
    if (!ns?.metadata.deletionTimestamp) return;
    const spec = specOf(ns) as { finalizers?: string[] };
    if (!(spec.finalizers ?? []).includes(namespaceFinalizer)) return;
    let remaining = 0;
    for (const ref of this.resourcesToEmpty()) remaining += this.empty(ref, name);
    if (remaining > 0) {
      this.log.debug('namespace not empty yet', { namespace: name, remaining });
      return { requeueAfterMs: this.recheckMs };
    }
    this.finalize(ns);
  }

  /** Built-ins we know (unserved ones are skipped) plus namespaced custom resources. */
  private resourcesToEmpty(): ResourceRef[] {
    const out: ResourceRef[] = [];
    for (const ref of namespacedResources) if (this.served(ref)) out.push(ref);
    let crds: KubeObject[] = [];
    try {
      crds = this.api.list(refs.crds).items;
    } catch {
      crds = [];
    }
    for (const crd of crds) {
      const spec = specOf(crd) as { group?: string; names?: { plural?: string }; scope?: string };
      if (spec.scope === 'Cluster' || !spec.group || !spec.names?.plural) continue;
      const ref = { group: spec.group, resource: spec.names.plural };
      if (this.served(ref)) out.push(ref);
    }
    return out;
  }

  private served(ref: ResourceRef): boolean {
    try {
      return this.api.def(ref).namespaced;
    } catch {
      return false;
    }
  }

  /** Deletes what is left of one resource in the namespace; returns how many objects remain. */
  private empty(ref: ResourceRef, namespace: string): number {
    let items: KubeObject[];
    try {
      items = this.api.list(ref, { namespace }).items;
    } catch (err) {
      this.log.warn('cannot list namespace content', { namespace, resource: ref.resource, err: errorText(err) });
      return 0;
    }
    if (items.length === 0) return 0;
    let remaining = 0;
    for (const obj of items) {
      if (obj.metadata.deletionTimestamp) { remaining++; continue; }
      try {
        const gone = this.api.delete(ref, namespace, obj.metadata.name ?? '', { propagationPolicy: 'Background' });
        if (gone.metadata.deletionTimestamp && this.stillThere(ref, namespace, obj)) remaining++;
      } catch (err) {
        if (!(isApiError(err) && err.code === 404)) { remaining++; this.log.warn('delete failed', { namespace, resource: ref.resource, err: errorText(err) }); }
      }
    }
    return remaining;
  }

  private stillThere(ref: ResourceRef, namespace: string, obj: KubeObject): boolean {
    try {
      return this.api.get(ref, namespace, obj.metadata.name ?? '').metadata.uid === obj.metadata.uid;
    } catch {
      return false;
    }
  }

  /**
   * Removes `kubernetes` from spec.finalizers through the namespaces/finalize subresource when the object
   * API offers it, else through a plain update; either way the object API then removes the namespace.
   */
  private finalize(ns: KubeObject): void {
    const next = clone(ns);
    const spec = specOf(next) as { finalizers?: string[] };
    next.spec = { ...spec, finalizers: (spec.finalizers ?? []).filter((f) => f !== namespaceFinalizer) };
    const name = ns.metadata.name ?? '';
    try {
      this.namespaces.observe(this.api.update(refs.namespaces, '', name, next, {}, 'finalize'));
    } catch (err) {
      if (!isApiError(err) || err.code === 409) throw err;
      if (this.isGone(name)) return;
      // No finalize subresource (400/404/405/422): remove the finalizer with a plain update.
      this.namespaces.observe(this.api.update(refs.namespaces, '', name, next));
    }
    this.log.info('namespace emptied', { namespace: name, phase: statusOf(ns).phase });
  }

  private isGone(name: string): boolean {
    try {
      this.api.get(refs.namespaces, '', name);
      return false;
    } catch (err) {
      return isApiError(err) && err.code === 404;
    }
  }
}
