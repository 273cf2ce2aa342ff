// Device, DeviceModel and DeviceStatus of devices.kubeedge.io/v1beta1 (KubeEdge 1.2x), as they travel
// through the API, the cloud–edge link and the edge's SQLite. Field names are KubeEdge's JSON names.
import type { ObjectMeta } from './meta.js';

export const DEVICES_GROUP = 'devices.kubeedge.io';
export const DEVICES_VERSION = 'v1beta1';
export const DEVICES_API_VERSION = `${DEVICES_GROUP}/${DEVICES_VERSION}`;

/** Property types of a DeviceModel (the CRD's enum). */
export const PropertyTypes = ['INT', 'FLOAT', 'DOUBLE', 'STRING', 'BOOLEAN', 'BYTES', 'STREAM'] as const;
export type PropertyType = (typeof PropertyTypes)[number];
export const AccessModes = ['ReadWrite', 'ReadOnly'] as const;
export type AccessMode = (typeof AccessModes)[number];

/** Protocol- or visitor-specific settings, free-form (KubeEdge's CustomizedValue). */
export type CustomizedValue = Record<string, unknown>;

export interface ModelPropertyVisitor {
  protocolName?: string;
  configData?: CustomizedValue;
}

export interface ModelProperty {
  name: string;
  description?: string;
  type?: PropertyType;
  accessMode?: AccessMode;
  minimum?: string;
  maximum?: string;
  unit?: string;
  /** Defaults for the devices of this model (KubeEdge 1.2x); a device's own visitors override them. */
  visitors?: ModelPropertyVisitor;
}

export interface DeviceModelSpec {
  protocol?: string;
  protocolConfigData?: CustomizedValue;
  properties?: ModelProperty[];
}

export interface DeviceModel {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: DeviceModelSpec;
}

export interface TwinProperty {
  value: string;
  metadata?: Record<string, string>;
}

export interface VisitorConfig {
  protocolName?: string;
  configData?: CustomizedValue;
}

export interface PushMethodHTTP { hostName?: string; port?: number; requestPath?: string; timeout?: number }
export interface PushMethodMQTT { address?: string; topic?: string; qos?: number; retained?: boolean }
export interface PushMethod {
  http?: PushMethodHTTP;
  mqtt?: PushMethodMQTT;
  otel?: { endpointURL?: string };
  dbMethod?: Record<string, unknown>;
  anomalyDetection?: { data: Record<string, unknown> };
}

export interface DeviceProperty {
  name: string;
  desired?: TwinProperty;
  visitors?: VisitorConfig;
  /** Milliseconds between reports (KubeEdge's unit). */
  reportCycle?: number;
  /** Milliseconds between reads of the device. */
  collectCycle?: number;
  reportToCloud?: boolean;
  pushMethod?: PushMethod;
}

export interface DeviceMethod {
  name: string;
  description?: string;
  propertyNames?: string[];
}

export interface ProtocolConfig {
  protocolName?: string;
  configData?: CustomizedValue;
}

export interface DeviceSpec {
  deviceModelRef?: { name: string };
  nodeName?: string;
  protocol?: ProtocolConfig;
  properties?: DeviceProperty[];
  methods?: DeviceMethod[];
  /** Whether and how often the mapper reports the device's state (KubeEdge 1.2x: moved here from status). */
  stateReport?: { reportCycle?: number; reportToCloud?: boolean };
}

export interface Device {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: DeviceSpec;
  status?: Record<string, unknown>;
}

export interface DeviceStatusTwin {
  propertyName: string;
  reported?: TwinProperty;
  observedDesired?: TwinProperty;
}

/** What the edge reports for one Device: a DeviceStatus of the same name, owned by the Device. */
export interface DeviceStatusObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: {
    twins?: DeviceStatusTwin[];
    state?: string;
    lastOnlineTime?: string;
    extensions?: Record<string, unknown>;
  };
}

/** KubeEdge's device id: <namespace>/<name>. */
export function deviceId(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
