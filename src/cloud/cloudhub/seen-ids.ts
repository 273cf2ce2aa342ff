// The per-node memory of upstream msg_ids for dedupe (beyond KubeEdge: edges that replay their
// outbox after a reconnect send some messages twice). Bounded by count and by age, oldest first.

export type SeenState =
  /** Being applied; a duplicate waits for the original's ack. */
  | { kind: 'pending' }
  /** Applied; a duplicate is acked again. */
  | { kind: 'ok' }
  /** Refused; a duplicate gets the same error again. */
  | { kind: 'rejected'; reason: string };

interface SeenEntry {
  state: SeenState;
  at: number;
}

export class SeenIds {
  private readonly map = new Map<string, SeenEntry>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.map.size;
  }

  get(msgId: string): SeenState | undefined {
    return this.map.get(msgId)?.state;
  }

  /** Records `msgId` (new ones go last; an update keeps the entry's age and place). */
  set(msgId: string, state: SeenState, now: number): void {
    const entry = this.map.get(msgId);
    if (entry !== undefined) {
      entry.state = state;
      return;
    }
    this.map.set(msgId, { state, at: now });
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next();
      if (oldest.done === true) break;
      this.map.delete(oldest.value);
    }
  }

  delete(msgId: string): void {
    this.map.delete(msgId);
  }

  /** Forgets ids recorded before `cutoff`, except those still pending. */
  prune(cutoff: number): void {
    for (const [id, entry] of this.map) {
      if (entry.at >= cutoff) break;
      if (entry.state.kind !== 'pending') this.map.delete(id);
    }
  }
}
