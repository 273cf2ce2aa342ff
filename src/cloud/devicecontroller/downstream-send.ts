// Queueing devicecontroller's downstream messages on cloudhub. Object messages are reliable, keyed
// by the object's UID in the node's ack queue and reported to synccontroller (trackSent), so the
// ack lands in ObjectSync as it does for edgecontroller's objects.
//
// One difference from edgecontroller: the same model (and a moving device) can leave a node and
// come back while the delete is still unacked. cloudhub's ack queue drops everything after a queued
// delete of the same key (the object is gone, as in KubeEdge), which would lose the re-insert. So
// after a delete to a node the next messages for that object use a fresh key (`<uid>~<n>`); the
// key is only the queue's dedupe key, synccontroller still gets the real UID.
import type { KubeObject } from '../../api/index.js';
import type { Logger, Message, MessageClock, WireDevice } from '../../core/index.js';
import { compareResourceVersion } from '../cloudhub/index.js';
import type { DeviceControllerCounters } from './metrics.js';
import {
  membershipDetailMessage, membershipMessage, objectMessage, twinConfirmMessage, type DeviceWireType, type ObjectOperation,
} from './messages.js';
import type { DeviceHubSender, DeviceSyncLookup } from './types.js';

export interface ObjectSend {
  node: string;
  operation: ObjectOperation;
  type: DeviceWireType;
  obj: KubeObject;
  /**
   * Skip when the node already acked this version or a newer one (an ADDED event replayed by the
   * informer's first list after a cloudcore restart); synccontroller's ObjectSync says so.
   */
  skipIfAcked?: boolean;
}

/** (node, uid) pairs whose delete count is remembered; the oldest are forgotten first. */
const MAX_INCARNATIONS = 100_000;

export class DeviceSender {
  private readonly incarnations = new Map<string, number>();

  constructor(
    private readonly hub: DeviceHubSender,
    private readonly sync: DeviceSyncLookup,
    private readonly counters: DeviceControllerCounters,
    private readonly log: Logger,
    private readonly clock: Required<MessageClock>,
  ) {}

  /** Membership changes need no ack (KubeEdge sends them through the no-ack queue). */
  membership(node: string, change: { added?: WireDevice[]; removed?: WireDevice[] }): void {
    const msg = membershipMessage({ added: change.added ?? [], removed: change.removed ?? [] }, this.clock);
    this.hub.send(node, msg, { reliable: false });
    this.counters.downstreamSent++;
    this.log.debug('membership sent', { node, added: change.added?.length ?? 0, removed: change.removed?.length ?? 0 });
  }

  detail(node: string, devices: WireDevice[]): void {
    this.hub.send(node, membershipDetailMessage(devices, this.clock), { reliable: false });
    this.counters.downstreamSent++;
  }

  confirm(node: string, req: Message): void {
    this.hub.send(node, twinConfirmMessage(req, this.clock), { reliable: false });
  }

  /** Builds and queues an object message; false when skipped because the node already has it. */
  object(spec: ObjectSend): boolean {
    const uid = spec.obj.metadata.uid;
    const rv = spec.obj.metadata.resourceVersion;
    if (spec.skipIfAcked && uid) {
      const acked = this.sync.ackedVersion(spec.node, uid);
      if (acked !== undefined && compareResourceVersion(rv, acked) <= 0) {
        this.counters.downstreamSkippedAcked++;
        return false;
      }
    }
    const msg = objectMessage(spec.operation, spec.type, spec.obj, this.clock);
    this.hub.send(spec.node, msg, uid ? { reliable: true, objectUID: this.queueKey(spec.node, uid, spec.operation) } : { reliable: true });
    if (uid) this.sync.trackSent?.(spec.node, msg, uid);
    this.counters.downstreamSent++;
    this.log.debug('sent', { node: spec.node, operation: spec.operation, resource: msg.route.resource, rv });
    return true;
  }

  private queueKey(node: string, uid: string, operation: ObjectOperation): string {
    const k = `${node}/${uid}`;
    const n = this.incarnations.get(k) ?? 0;
    const key = n === 0 ? uid : `${uid}~${n}`;
    if (operation === 'delete') {
      this.incarnations.delete(k);
      this.incarnations.set(k, n + 1);
      if (this.incarnations.size > MAX_INCARNATIONS) this.incarnations.delete(this.incarnations.keys().next().value as string);
    }
    return key;
  }
}
