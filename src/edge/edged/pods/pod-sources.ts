// Where pods come from: metamanager's store (pods bound to this node, then its change feed) and the
// static pod directory (polled). ConfigMap and Secret changes re-run volume setUp of the pods that
// mount them (files update in place) and retry pods waiting on a missing object in that namespace.
import type { Logger } from '../../../core/index.js';
import type { Pod, VolumeManager } from '../pod-contracts.js';
import { asPod, podNodeName } from './pod-fields.js';
import { STATIC_POD_POLL_MS, readStaticPods } from './static-pods.js';
import type { PodState } from './sync-context.js';
import type { PodStore, StoreChange } from './types.js';

export interface PodSourcesDeps {
  nodeName: string;
  store: PodStore;
  log: Logger;
  volumes: VolumeManager;
  staticPodPath?: string;
  states: ReadonlyMap<string, PodState>;
  add(pod: Pod, isStatic: boolean): void;
  remove(uid: string): void;
  trigger(uid: string): void;
}

export class PodSources {
  readonly #deps: PodSourcesDeps;
  #unsubscribe: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(deps: PodSourcesDeps) {
    this.#deps = deps;
  }

  async start(): Promise<void> {
    this.#unsubscribe = this.#deps.store.onChange((c) => {
      try {
        this.#onChange(c);
      } catch (err) {
        this.#deps.log.error('store change failed', { type: c.type, name: c.name, error: err instanceof Error ? err.message : String(err) });
      }
    });
    for (const obj of this.#deps.store.list('pod')) {
      const pod = asPod(obj);
      if (pod !== undefined && podNodeName(pod) === this.#deps.nodeName) this.#deps.add(pod, false);
    }
    if (this.#deps.staticPodPath !== undefined) await this.#scanStatic();
  }

  stop(): void {
    this.#stopped = true;
    this.#unsubscribe?.();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }

  #onChange(c: StoreChange): void {
    if (c.type === 'pod') return this.#onPod(c);
    if (c.type !== 'configmap' && c.type !== 'secret' || c.namespace === null) return;
    for (const st of this.#deps.states.values()) {
      if (st.removed || st.pod.metadata.namespace !== c.namespace) continue;
      if (this.#deps.volumes.uses(st.pod, c.type, c.namespace, c.name)) {
        st.volumesDirty = true;
        this.#deps.trigger(st.uid);
      } else if (st.volumes === undefined || [...st.waiting.values()].some((w) => w.reason === 'CreateContainerConfigError')) {
        this.#deps.trigger(st.uid);
      }
    }
  }

  #onPod(c: StoreChange): void {
    const pod = asPod(c.object);
    if (c.op === 'delete') {
      for (const st of this.#deps.states.values()) {
        const sameName = st.pod.metadata.namespace === (c.namespace ?? 'default') && st.pod.metadata.name === c.name;
        if (!st.isStatic && (pod === undefined ? sameName : st.uid === pod.metadata.uid || sameName)) this.#deps.remove(st.uid);
      }
      return;
    }
    if (pod === undefined) return;
    if (podNodeName(pod) === this.#deps.nodeName) this.#deps.add(pod, false);
    else if (this.#deps.states.has(pod.metadata.uid)) this.#deps.remove(pod.metadata.uid);
  }

  async #scanStatic(): Promise<void> {
    const dir = this.#deps.staticPodPath;
    if (dir === undefined || this.#stopped) return;
    try {
      const pods = await readStaticPods(dir, this.#deps.nodeName, this.#deps.log);
      const seen = new Set(pods.map((p) => p.metadata.uid));
      for (const st of this.#deps.states.values()) if (st.isStatic && !st.removed && !seen.has(st.uid)) this.#deps.remove(st.uid);
      for (const pod of pods) if (!this.#deps.states.has(pod.metadata.uid)) this.#deps.add(pod, true);
    } catch (err) {
      this.#deps.log.warn('static pod scan failed', { error: err instanceof Error ? err.message : String(err) });
    }
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#scanStatic(), STATIC_POD_POLL_MS);
    this.#timer.unref();
  }
}
