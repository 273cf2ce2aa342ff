// Pod status upstream: one podstatus message per change, coalesced so a pod syncing in a burst sends
// at most one report per 100 ms (the latest). The hub's outbox keeps reports across offline periods
// and restarts, in order. Static pods have no API object: their status stays local.
import type { Logger, Message } from '../../../core/index.js';
import { podStatusMessage } from '../../metaserver/index.js';
import type { Json, Pod, SameStatus } from '../pod-contracts.js';

const COALESCE_MS = 100;

interface Entry {
  pod: Pod;
  status: Json;
  lastSent: number;
  pending: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export interface StatusReporterDeps {
  hub: { enqueue(msg: Message): void };
  log: Logger;
  now: () => number;
  sameStatus: SameStatus;
  isLocalOnly: (pod: Pod) => boolean;
}

export class StatusReporter {
  readonly #deps: StatusReporterDeps;
  readonly #entries = new Map<string, Entry>();
  readonly #listeners = new Set<(namespace: string, name: string) => void>();

  constructor(deps: StatusReporterDeps) {
    this.#deps = deps;
  }

  /** The latest computed status of the pod (uid), if any. */
  get(uid: string): Json | undefined {
    return this.#entries.get(uid)?.status;
  }

  /** Seeds the status last reported (e.g. the stored pod's status after a restart) without sending. */
  seed(pod: Pod, status: Json): void {
    if (!this.#entries.has(pod.metadata.uid)) {
      this.#entries.set(pod.metadata.uid, { pod, status, lastSent: 0, pending: false, timer: undefined });
    }
  }

  onChange(listener: (namespace: string, name: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Records a newly computed status; reports it when it differs from the previous one (or when forced). */
  update(pod: Pod, status: Json, force = false): boolean {
    const uid = pod.metadata.uid;
    const prev = this.#entries.get(uid);
    if (!force && prev !== undefined && this.#deps.sameStatus(prev.status, status)) return false;
    const entry: Entry = prev ?? { pod, status, lastSent: 0, pending: false, timer: undefined };
    entry.pod = pod;
    entry.status = status;
    entry.pending = true;
    this.#entries.set(uid, entry);
    this.#notify(pod);
    this.#schedule(uid, entry);
    return true;
  }

  /** Sends every pending report now (stop, or a final status). */
  flush(uid?: string): void {
    for (const [id, entry] of this.#entries) {
      if (uid !== undefined && id !== uid) continue;
      if (entry.timer !== undefined) clearTimeout(entry.timer);
      entry.timer = undefined;
      if (entry.pending) this.#send(entry);
    }
  }

  /** Drops the pod (removed from the node); pending reports are sent first. */
  forget(uid: string): void {
    const entry = this.#entries.get(uid);
    if (entry === undefined) return;
    this.flush(uid);
    this.#entries.delete(uid);
    this.#notify(entry.pod);
  }

  #schedule(uid: string, entry: Entry): void {
    if (entry.timer !== undefined) return;
    const wait = entry.lastSent + COALESCE_MS - this.#deps.now();
    if (wait <= 0) {
      this.#send(entry);
      return;
    }
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (this.#entries.get(uid) === entry && entry.pending) this.#send(entry);
    }, wait);
    entry.timer.unref();
  }

  #send(entry: Entry): void {
    entry.pending = false;
    entry.lastSent = this.#deps.now();
    if (this.#deps.isLocalOnly(entry.pod)) return;
    const { namespace, name, uid } = entry.pod.metadata;
    try {
      this.#deps.hub.enqueue(podStatusMessage(namespace, { UID: uid, Name: name, Status: entry.status }, { now: this.#deps.now }));
    } catch (err) {
      this.#deps.log.warn('pod status not sent', { namespace, pod: name, error: err instanceof Error ? err.message : String(err) });
    }
  }

  #notify(pod: Pod): void {
    for (const l of this.#listeners) {
      try {
        l(pod.metadata.namespace, pod.metadata.name);
      } catch (err) {
        this.#deps.log.warn('status listener failed', { error: err instanceof Error ? err.message : String(err) });
      }
    }
  }
}
