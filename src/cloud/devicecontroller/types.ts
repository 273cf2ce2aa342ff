// What devicecontroller needs from its neighbours, as the smallest structural interfaces, and the
// names it puts on the wire. The hub is structurally cloudhub's CloudHubSender and the sync lookup
// is synccontroller's SyncController, so tests pass recording fakes.
import type { Logger, Message } from '../../core/index.js';
import type { KubeClient, ResourceRef } from '../kube/index.js';

/** route.source of everything devicecontroller sends (KubeEdge's DeviceControllerModuleName). */
export const DEVICECONTROLLER_SOURCE = 'devicecontroller';

/**
 * DeviceStatus of devices.kubeedge.io/v1beta1 (deploy/crds/devices_v1beta1_devicestatus.yaml). Kept
 * here until kube's Resources lists it; the CRD has no status subresource, so the whole object is
 * patched (as KubeEdge's UpstreamController does).
 */
export const DEVICE_STATUSES: ResourceRef = {
  group: 'devices.kubeedge.io', version: 'v1beta1', plural: 'devicestatuses', kind: 'DeviceStatus', namespaced: true,
};

/** Downstream options, structurally cloudhub's DownstreamOptions. */
export interface DeviceHubSendOptions {
  reliable: boolean;
  objectUID?: string;
}

/** The part of cloudhub devicecontroller uses. */
export interface DeviceHubSender {
  send(node: string, msg: Message, opts: DeviceHubSendOptions): void;
}

/** What synccontroller knows: the resourceVersion a node acked for an object; what was sent. */
export interface DeviceSyncLookup {
  ackedVersion(node: string, uid: string): string | undefined;
  trackSent?(node: string, msg: Message, uid: string): void;
}

export interface DeviceControllerDeps {
  kube: KubeClient;
  hub: DeviceHubSender;
  sync: DeviceSyncLookup;
  log: Logger;
  /** Milliseconds since the epoch; injected for tests. */
  now?: () => number;
  /** Message and event ids; injected for tests (default randomUUID). */
  newId?: () => string;
}

/** The resources devicecontroller informs on. */
export type DeviceInformed = 'devices' | 'devicemodels' | 'devicestatuses';
