// PLEG-like relist: every relistMs the runtime's containers and sandboxes of this node are listed
// and compared with the previous listing; the pods whose objects appeared, vanished or changed
// state are synced. This is how a container that exits is noticed.
import type { RuntimeService } from '../../runtime/types.js';
import { RuntimeLabels } from '../../runtime/types.js';

export class Relister {
  #previous: Map<string, string> | undefined;

  constructor(readonly runtime: RuntimeService, readonly nodeName: string) {}

  /** Uids of pods whose runtime objects changed since the last relist (none on the first). */
  async relist(): Promise<Set<string>> {
    const selector = { labelSelector: { [RuntimeLabels.managedBy]: this.nodeName } };
    const [containers, sandboxes] = await Promise.all([this.runtime.listContainers(selector), this.runtime.listPodSandbox(selector)]);
    const next = new Map<string, string>();
    for (const c of containers) next.set(c.id, `${c.labels[RuntimeLabels.podUid] ?? ''}\t${c.state}`);
    for (const s of sandboxes) next.set(s.id, `${s.labels[RuntimeLabels.podUid] ?? ''}\t${s.state}`);
    const changed = new Set<string>();
    const prev = this.#previous;
    this.#previous = next;
    if (prev === undefined) return changed;
    const uidOf = (v: string): string => v.slice(0, v.indexOf('\t'));
    for (const [id, v] of next) if (prev.get(id) !== v) changed.add(uidOf(v));
    for (const [id, v] of prev) if (!next.has(id)) changed.add(uidOf(v));
    changed.delete('');
    return changed;
  }
}
