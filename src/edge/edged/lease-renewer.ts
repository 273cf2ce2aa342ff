// Renews the node's Lease in kube-node-lease, best effort: a request answered by the cloud, never the
// outbox (a lease replayed after a reconnect would claim a liveness that was not there).
// KubeEdge's cloudcore applies "insert" with Create and "update" with Update of a real API server,
// which refuses a Lease update without metadata.resourceVersion (leases allow no unconditional
// update); so, as kubelet does through KubeEdge's lease bridge, we keep the resourceVersion from each
// answer (edgeapi.ObjectResp {Object, Err}). A first insert that finds the lease (AlreadyExists) or an
// update that lost a race (Conflict) queries the lease for its resourceVersion and updates once more;
// NotFound creates it again. A KubeEdge-TS cloudcore that answers "OK" without an object works too.
import { Operations, type Message, type MessageClock } from '../../core/index.js';
import type { Logger } from '../../core/index.js';
import type { EdgeHubPort } from '../edgehub/index.js';
import { buildLease, leaseMessage, type LeaseOperation } from './node-messages.js';

export interface LeaseRenewerDeps {
  nodeName: string;
  leaseDurationSeconds: number;
  hub: Pick<EdgeHubPort, 'request'>;
  log: Logger;
  now: () => number;
  /** How long one request waits for the cloud's answer. */
  timeoutMs: number;
  newId?: () => string;
}

/** What one answer says: success with the lease's resourceVersion when present, or a failure reason. */
export type LeaseAnswer = { ok: true; resourceVersion?: string } | { ok: false; reason: string; message: string };

export class LeaseRenewer {
  private resourceVersion: string | undefined;
  /** Whether the lease is believed to exist in the cloud (then we update instead of insert). */
  private exists = false;
  private inFlight = false;

  constructor(private readonly deps: LeaseRenewerDeps) {}

  /** One renewal. Never rejects; a renewal already under way makes this a no-op. */
  async renew(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      let answer = await this.call(this.exists ? Operations.update : Operations.insert);
      if (!answer.ok && (answer.reason === 'AlreadyExists' || answer.reason === 'Conflict')) {
        const current = await this.call(Operations.query);
        if (current.ok) answer = await this.call(Operations.update);
      } else if (!answer.ok && answer.reason === 'NotFound') {
        this.exists = false;
        this.resourceVersion = undefined;
        answer = await this.call(Operations.insert);
      }
      if (!answer.ok) this.deps.log.warn('lease renew failed', { reason: answer.reason, error: answer.message });
    } catch (err) {
      // No answer (timeout, link down): the lease may well have been applied; assume it exists so
      // the next renewal is an update (a NotFound answer then corrects this).
      this.exists = true;
      this.deps.log.debug('lease renew unanswered', { error: err instanceof Error ? err.message : String(err) });
    } finally {
      this.inFlight = false;
    }
  }

  private async call(operation: LeaseOperation): Promise<LeaseAnswer> {
    const { nodeName, leaseDurationSeconds, now } = this.deps;
    const lease = operation === Operations.query ? null : buildLease(nodeName, leaseDurationSeconds, now(), this.resourceVersion);
    const clock: MessageClock = { now, newId: this.deps.newId };
    const reply = await this.deps.hub.request(leaseMessage(nodeName, operation, lease, clock), this.deps.timeoutMs);
    const answer = readLeaseAnswer(reply);
    if (answer.ok) {
      this.exists = true;
      if (answer.resourceVersion) this.resourceVersion = answer.resourceVersion;
    }
    return answer;
  }
}

/**
 * Reads the cloud's answer: an "error" message; edgeapi.ObjectResp {Object, Err} where Err is a
 * marshalled StatusError {ErrStatus: Status} or null; a bare Lease; or a plain "OK".
 */
export function readLeaseAnswer(reply: Message): LeaseAnswer {
  const content = reply.content;
  if (reply.route.operation === Operations.error) {
    return { ok: false, reason: 'Error', message: typeof content === 'string' ? content : JSON.stringify(content) };
  }
  if (typeof content !== 'object' || content === null) return { ok: true, resourceVersion: reply.header.resourceversion };
  const c = content as { Object?: unknown; Err?: unknown; metadata?: unknown };
  const status = (c.Err as { ErrStatus?: { status?: string; reason?: string; message?: string } } | null | undefined)?.ErrStatus;
  if (status && (status.status === 'Failure' || (status.reason ?? '') !== '')) {
    return { ok: false, reason: status.reason || 'Unknown', message: status.message ?? '' };
  }
  const obj = ('Object' in c ? c.Object : c) as { metadata?: { resourceVersion?: unknown } } | null | undefined;
  const rv = obj?.metadata?.resourceVersion;
  return { ok: true, resourceVersion: typeof rv === 'string' && rv !== '' ? rv : reply.header.resourceversion };
}
