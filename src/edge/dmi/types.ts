// What dmi needs from the other edge modules and what it offers them. devicetwin has no index.ts yet,
// so MapperPort and ReportedTwin are restated here, identical to src/edge/devicetwin/types.ts (the
// import rule forbids reaching into its types.ts); once devicetwin's index exports them, these become
// re-exports. The store and reports interfaces are the slices of devicetwin's that dmi uses.
import type { Device, DeviceModel } from '../../api/index.js';
import type { Logger } from '../../core/index.js';

/**
 * The mappers, as dmi reaches them (KubeEdge's dmiclient): each call goes to the mapper registered for
 * the device's protocol. Rejects with DmiError when no mapper serves the protocol or the mapper fails.
 */
export interface MapperPort {
  registerDevice(device: Device, model: DeviceModel | undefined): Promise<void>;
  updateDevice(device: Device, model: DeviceModel | undefined): Promise<void>;
  removeDevice(device: Device): Promise<void>;
  createDeviceModel(model: DeviceModel): Promise<void>;
  updateDeviceModel(model: DeviceModel): Promise<void>;
  removeDeviceModel(model: DeviceModel): Promise<void>;
}

/** A mapper's twin report (DMI ReportDeviceStatus), one entry per property. */
export interface ReportedTwin {
  propertyName: string;
  reported?: { value: string; metadata?: Record<string, string> };
  observedDesired?: { value: string; metadata?: Record<string, string> };
}

export type DmiObjectType = 'device' | 'devicemodel';

export interface DmiObjectChange {
  op: 'upsert' | 'delete';
  type: string;
  namespace: string | null;
  name: string;
  object: unknown;
}

/** Device and DeviceModel objects as metamanager stores them (devicetwin's DeviceObjectStore). */
export interface DmiObjectStore {
  list(type: DmiObjectType, namespace?: string | null): unknown[];
  get(type: DmiObjectType, namespace: string | null, name: string): unknown;
  /** Committed changes; returns the unsubscribe function. */
  onChange(listener: (change: DmiObjectChange) => void): () => void;
}

/** What dmi calls on devicetwin (the reporting half of its TwinReports). */
export interface DmiReports {
  /** ReportDeviceStatus: a twin update with actual values. */
  reportTwins(namespace: string, name: string, twins: readonly ReportedTwin[]): void;
  /** ReportDeviceStates: a state update. */
  reportState(namespace: string, name: string, state: string): void;
}

/** Token buckets for incoming DMI calls (KubeEdge: one bucket, 1/s with a burst of 100). */
export interface DmiRateLimit {
  /** ReportDeviceStatus and ReportDeviceStates per second; default 2000 (1,000 devices reporting twice a second). */
  reportsPerSecond: number;
  /** Default 4000. */
  reportBurst: number;
  /** MapperRegister per second; default 5 (each one may resend every device of its protocol). */
  registersPerSecond: number;
  /** Default 20. */
  registerBurst: number;
}

/** A registered mapper as kept across edgecore restarts (KubeEdge saves MapperInfo in its meta table). */
export interface MapperRecord {
  name: string;
  protocol: string;
  /** Socket path. */
  address: string;
  version: string;
}

/**
 * Where registrations are kept. Mappers register only when they start, so without it a mapper that
 * outlives an edgecore restart would get no device changes until it restarts too.
 */
export interface MapperRecordStore {
  load(): MapperRecord[];
  save(record: MapperRecord): void;
}

export interface DmiServerOptions {
  /** The unix socket DeviceManagerService is served on (KubeEdge: /etc/kubeedge/dmi.sock). */
  socketPath: string;
  store: DmiObjectStore;
  reports: DmiReports;
  nodeName: string;
  log: Logger;
  /** Deadline of each call to a mapper, including the wait for its socket; default 10 s (KubeEdge's). */
  callTimeoutMs?: number;
  rateLimit?: Partial<DmiRateLimit>;
  /** Socket file mode; default 0o660 (root and the group of the mappers). */
  socketMode?: number;
  /**
   * Watch the store and drive the mappers (KubeEdge's dmiworker); default true. Turn it off when
   * devicetwin calls the MapperPort methods itself, or every change reaches the mapper twice.
   */
  watchStore?: boolean;
  /** Keeps registrations across restarts; default none (mappers must register again). */
  mapperRecords?: MapperRecordStore;
  /** Milliseconds clock; default Date.now. */
  now?: () => number;
}

/** ready: the last call answered; unreachable: the last call found nobody or timed out. */
export type MapperState = 'registered' | 'ready' | 'unreachable';

export interface MapperView {
  name: string;
  protocol: string;
  /** The mapper's socket path. */
  address: string;
  version: string;
  /** Milliseconds since the epoch. */
  registeredAt: number;
  state: MapperState;
  lastError?: string;
}

export interface DmiMetrics {
  registrations: number;
  twinReports: number;
  stateReports: number;
  /** Requests answered with an error status (rate limited ones included). */
  rejected: number;
  rateLimited: number;
  mapperCalls: number;
  mapperCallFailures: number;
  /** Devices sent again after their mapper registered. */
  resends: number;
}
