// The one connection state of edgehub (LinkState, the lead's contract in types.ts) with the
// transitions it may take. Pure: no I/O, no timers.
import { EdgeHubError } from './errors.js';
import type { LinkState } from './types.js';

export type LinkStateKind = LinkState['kind'];

/**
 * Allowed moves. `connected → connecting` is reconnectNow() (after a certificate rotation: redial
 * at once, no backoff); `stopped` is final, as KubeEdge's module stop is.
 */
export const LINK_TRANSITIONS: Readonly<Record<LinkStateKind, readonly LinkStateKind[]>> = {
  bootstrapping: ['connecting', 'stopped'],
  connecting: ['connected', 'backoff', 'stopped'],
  connected: ['backoff', 'connecting', 'stopped'],
  backoff: ['connecting', 'stopped'],
  stopped: [],
};

export function canTransition(from: LinkStateKind, to: LinkStateKind): boolean {
  return LINK_TRANSITIONS[from].includes(to);
}

/** Holds the current LinkState and refuses moves outside LINK_TRANSITIONS. */
export class LinkStateMachine {
  private current: LinkState = { kind: 'bootstrapping' };

  get state(): LinkState {
    return this.current;
  }

  is(kind: LinkStateKind): boolean {
    return this.current.kind === kind;
  }

  /** Moves to `next`; throws EdgeHubError('invalid_transition') when the move is not allowed. */
  to(next: LinkState): void {
    if (!canTransition(this.current.kind, next.kind)) {
      throw new EdgeHubError('invalid_transition', `link state ${this.current.kind} cannot move to ${next.kind}`);
    }
    this.current = next;
  }
}
