// References a node stopped using, waiting out a grace period before the node is told to delete its
// copy. The delay absorbs pod replacement (a rolling update drops and re-adds the same configmap on
// the same node within seconds) so the edge is not made to delete and re-fetch it. Pure: time is
// injected and the owner calls due() from its own timer.
import type { RefChange } from './location-index.js';

const keyOf = (r: RefChange): string => `${r.node}|${r.kind}|${r.namespace}/${r.name}`;

export class ReleaseQueue {
  private readonly pending = new Map<string, { ref: RefChange; at: number }>();

  constructor(
    private readonly now: () => number,
    private readonly delayMs: number,
  ) {}

  schedule(ref: RefChange): void {
    this.pending.set(keyOf(ref), { ref, at: this.now() + this.delayMs });
  }

  cancel(ref: RefChange): void {
    this.pending.delete(keyOf(ref));
  }

  forgetNode(node: string): void {
    for (const [k, p] of this.pending) if (p.ref.node === node) this.pending.delete(k);
  }

  /** Removes and returns the releases whose time has come. */
  due(): RefChange[] {
    const t = this.now();
    const out: RefChange[] = [];
    for (const [k, p] of this.pending) {
      if (p.at <= t) {
        out.push(p.ref);
        this.pending.delete(k);
      }
    }
    return out;
  }

  size(): number {
    return this.pending.size;
  }
}
