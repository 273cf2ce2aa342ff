// What devicetwin needs from the other edge modules (small ports, wired in services.ts) and what it
// offers them (eventbus hands it MQTT messages, edgehub the cloud's twin messages, dmi the mappers'
// reports). devicetwin never calls the mappers: dmi reads Device objects from metamanager itself.
import type { Message } from '../../core/index.js';

/** Publishing on MQTT (eventbus). */
export interface TwinBus {
  publish(topic: string, payload: string | Buffer, opts?: { qos?: 0 | 1; retain?: boolean }): void;
}

/** Upstream to the cloud (edgehub): reports go through the reliable outbox. */
export interface TwinHub {
  enqueue(msg: Message): void;
  isConnected(): boolean;
  /** Messages in the outbox not yet acked: reports wait (and keep coalescing) while it is long. */
  outboxDepth?(): number;
}

/** Device and DeviceModel objects as metamanager stores them (type "device" / "devicemodel"). */
export interface DeviceObjectStore {
  list(type: 'device' | 'devicemodel', namespace?: string | null): unknown[];
  get(type: 'device' | 'devicemodel', namespace: string | null, name: string): unknown;
  /** Committed changes; returns the unsubscribe function. */
  onChange(listener: (change: { op: 'upsert' | 'delete'; type: string; namespace: string | null; name: string; object: unknown }) => void): () => void;
}

/** A mapper's twin report (DMI ReportDeviceStatus), one entry per property. */
export interface ReportedTwin {
  propertyName: string;
  reported?: { value: string; metadata?: Record<string, string> };
  observedDesired?: { value: string; metadata?: Record<string, string> };
}

/** What dmi calls on devicetwin. */
export interface TwinReports {
  /** ReportDeviceStatus: handled as a twin/update with actual values (KubeEdge does the same). */
  reportTwins(namespace: string, name: string, twins: readonly ReportedTwin[]): void;
  /** ReportDeviceStates: a state/update. */
  reportState(namespace: string, name: string, state: string): void;
}

export interface DeviceTwinMetrics {
  mqttReceived: number;
  twinUpdates: number;
  rejected: number;
  cloudReports: number;
  dbWrites: number;
  dbBatches: number;
}
