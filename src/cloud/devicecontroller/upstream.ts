// Upstream from the edge's devicetwin (KubeEdge's UpstreamController): reported twins
// (device/<ns>/<name>/twin/edge_updated) and device state (device/<ns>/<name>/state/update) go into
// the device's DeviceStatus; membership/detail (the edge asking for its device list after a
// reconnect) is answered with the list. A node may report only for devices bound to it. The
// returned promise settles once the status is written: cloudhub then acks the message, and a
// rejection with UpstreamRejected refuses it for good, while any other error leaves it unacked so
// the edge sends it again. After a write the edge also gets KubeEdge's twin confirmation.
import type { KubeObject } from '../../api/index.js';
import { parseDeviceUpstreamResource, twinContent, type Logger, type Message } from '../../core/index.js';
import { UpstreamRejected } from '../cloudhub/index.js';
import { KubeError } from '../kube/index.js';
import { deviceEntry, keyOf, propertyNames, type DeviceIndex } from './device-index.js';
import type { DeviceSender } from './downstream-send.js';
import type { KeyedQueue } from './keyed-queue.js';
import type { DeviceControllerCounters } from './metrics.js';
import { toWireDevice } from './messages.js';
import type { StatusWriter } from './status-writer.js';
import { mergeTwins, parseStateReport, parseTwinReport, ReportError } from './twin-status.js';

export interface UpstreamDeps {
  /** The Device from the informer cache. */
  device(namespace: string, name: string): KubeObject | undefined;
  index: DeviceIndex;
  status: StatusWriter;
  sender: DeviceSender;
  queue: KeyedQueue;
  counters: DeviceControllerCounters;
  log: Logger;
}

/** True for the upstream resources devicecontroller owns (wire or cloud form, any group). */
export function isDeviceUpstream(msg: Message): boolean {
  return parseDeviceUpstreamResource(msg.route.resource) !== undefined;
}

export async function handleDeviceUpstream(deps: UpstreamDeps, node: string, msg: Message): Promise<void> {
  const target = parseDeviceUpstreamResource(msg.route.resource);
  if (!target) throw reject(deps, 'bad_resource', `devicecontroller does not handle resource "${msg.route.resource}"`);
  if (target.kind === 'membership_detail') return answerDetail(deps, node, msg);
  const { namespace, name } = target;
  if (target.kind === 'twin') deps.counters.upstreamTwin++;
  else deps.counters.upstreamState++;
  const device = deps.device(namespace, name);
  if (!device) throw reject(deps, 'not_found', `device ${keyOf(namespace, name)} not found`);
  const bound = deviceEntry(device).node;
  if (bound !== node) {
    deps.counters.denied++;
    deps.log.warn('denied', { node, resource: msg.route.resource, reason: 'device is bound to another node' });
    throw new UpstreamRejected('forbidden', `device ${keyOf(namespace, name)} is not bound to node "${node}"`);
  }
  const write = parseReport(deps, target.kind, msg.content, device);
  try {
    await deps.queue.run(keyOf(namespace, name), write);
  } catch (err) {
    throw translate(deps, node, msg, err);
  }
  deps.sender.confirm(node, msg);
}

/** Validates the content now (a bad report is refused before it waits behind others). */
function parseReport(deps: UpstreamDeps, kind: 'twin' | 'state', content: unknown, device: KubeObject): () => Promise<unknown> {
  try {
    const body = twinContent(content);
    if (kind === 'state') {
      const report = parseStateReport(body);
      return () => deps.status.patchState(device, report);
    }
    const report = parseTwinReport(body);
    const names = propertyNames(device);
    return () => deps.status.patchTwins(device, (twins) => mergeTwins(twins, names, report));
  } catch (err) {
    const why = err instanceof ReportError ? err.message : `content is not JSON: ${(err as Error).message}`;
    throw reject(deps, 'invalid', why);
  }
}

/** Bad requests from the API are final; anything else (API away, throttled) is worth a resend. */
function translate(deps: UpstreamDeps, node: string, msg: Message, err: unknown): Error {
  if (err instanceof KubeError && (err.status === 400 || err.status === 422)) {
    return reject(deps, 'invalid', `device status refused: ${err.message}`);
  }
  deps.counters.upstreamFailed++;
  deps.log.warn('device status write failed', { node, resource: msg.route.resource, error: (err as Error).message });
  return err instanceof Error ? err : new Error(String(err));
}

function reject(deps: UpstreamDeps, reason: string, message: string): UpstreamRejected {
  deps.counters.rejected++;
  deps.log.debug('rejected', { reason, error: message });
  return new UpstreamRejected(reason, message);
}

/** The node's devices (KubeEdge's cloud ignores this request; see messages.ts). */
function answerDetail(deps: UpstreamDeps, node: string, msg: Message): void {
  deps.counters.upstreamMembershipDetail++;
  const devices = deps.index.devicesOnNode(node).flatMap((e) => {
    const d = deps.device(e.namespace, e.name);
    return d ? [toWireDevice(d)] : [];
  });
  deps.sender.detail(node, devices);
  deps.sender.confirm(node, msg);
}
