// The mapper SDK's contract: a mapper is a DeviceDriver for one protocol plus a config file; the SDK
// does the rest (DMI registration with edgecore, DeviceMapperService on the mapper's socket, polling by
// collectCycle, reporting by reportCycle, writing desired values, push methods).
import type { Logger } from '../../core/index.js';

/** A property of a device as the driver sees it: the model's facts and the device's visitor config. */
export interface MapperProperty {
  name: string;
  /** The model's type, lower-cased: int, float, double, string, boolean, bytes, stream. */
  type: string;
  accessMode: 'ReadWrite' | 'ReadOnly';
  minimum?: string;
  maximum?: string;
  unit?: string;
  /** visitors.configData, decoded from google.protobuf.Any (the model's visitor defaults applied). */
  visitor: Record<string, unknown>;
  /** The desired value, when the device spec sets one. */
  desired?: string;
  /** Milliseconds; 0 = the SDK's default (1000). */
  collectCycleMs: number;
  /** Milliseconds; 0 = the SDK's default (1000). */
  reportCycleMs: number;
  reportToCloud: boolean;
  pushMethod?: {
    http?: { hostName: string; port: number; requestPath: string; timeoutMs: number };
    mqtt?: { address: string; topic: string; qos: 0 | 1 | 2; retained: boolean };
  };
}

/** A device method (v1beta1 Device spec.methods): a named set of properties a client may write (HTTP API). */
export interface MapperMethod {
  name: string;
  description: string;
  propertyNames: string[];
}

export interface MapperDevice {
  namespace: string;
  name: string;
  model: string;
  protocol: { protocolName: string; configData: Record<string, unknown> };
  properties: MapperProperty[];
  /**
   * Device state reporting (DMI Device.status; KubeEdge moved it to spec.stateReport and edgecore copies
   * it here). As in KubeEdge's mapper-framework, states are reported only when reportToCloud is true.
   */
  stateReport: { reportToCloud: boolean; reportCycleMs: number };
  /** spec.methods; buildMapperDevice always sets it (absent = none, for devices built by hand). */
  methods?: MapperMethod[];
}

/** One protocol's access to devices. The SDK calls it one device at a time per device, never concurrently for one device. */
export interface DeviceDriver {
  /** Opens the device (called on RegisterDevice/UpdateDevice and at start). */
  connect(device: MapperDevice): Promise<void>;
  /** Reads a property; the value as the string KubeEdge reports ("21.5", "true"). */
  read(device: MapperDevice, property: MapperProperty): Promise<string>;
  /** Writes a desired value (ReadWrite properties only). */
  write(device: MapperDevice, property: MapperProperty, value: string): Promise<void>;
  /** Closes the device (RemoveDevice, UpdateDevice before reconnecting, stop). */
  disconnect(device: MapperDevice): Promise<void>;
  /** The device's state for ReportDeviceStates: ok, online, offline, unhealthy or unknown. Default: from the last read. */
  state?(device: MapperDevice): Promise<string>;
}

/** Where the mapper stands with edgecore: registering (retrying until edgecore answers), registered, stopped. */
export type MapperStatus = 'registering' | 'registered' | 'stopped';

export interface RunMapperOptions {
  config: MapperConfig;
  driver: DeviceDriver;
  log: Logger;
  /** Milliseconds since the epoch; injected so tests and simulated drivers are deterministic. */
  now?: () => number;
  /**
   * Serve the HTTP API on this port instead of common.http_port; port 0 = any free port (tests,
   * embedding). The address defaults to common.address, then 127.0.0.1. Absent: the config decides
   * (http_port 0 or absent = no HTTP API).
   */
  http?: { address?: string; port: number };
}

export interface RunningMapper {
  /** Stops polling, disconnects every device, closes the gRPC server and removes its socket. */
  stop(): Promise<void>;
  devices(): MapperDevice[];
  /** The last value read per property ({} for an unknown device). */
  lastValues(namespace: string, name: string): Record<string, string>;
  status(): MapperStatus;
  /** How many times MapperRegister succeeded (1 after start, +1 per re-registration). */
  registrations(): number;
  /** Where the HTTP API listens (the bound port when 0 was asked), or undefined when it is off. */
  httpAddress(): { address: string; port: number } | undefined;
}

/** What a bin entry hands the SDK: builds the driver once the logger and clock exist. */
export type DriverFactory = (ctx: { log: Logger; now: () => number }) => DeviceDriver;

/** The mapper's config file (KubeEdge mapper-framework's config.yaml names). */
export interface MapperConfig {
  grpc_server: { socket_path: string };
  common: {
    name: string;
    version: string;
    api_version: string;
    protocol: string;
    /** The HTTP API's listen address; default 127.0.0.1 (KubeEdge's server listens on 0.0.0.0). */
    address?: string;
    /** edgecore's DMI socket (DeviceManagerService). */
    edgecore_sock: string;
    /** The mapper's HTTP API (KubeEdge's REST API: ping, read, methods, write, model) on `address`; 0 = none. */
    http_port?: number;
  };
}
