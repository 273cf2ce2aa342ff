// TypeScript shapes of the DMI v1beta1 messages (dmi.proto) as @grpc/proto-loader hands them over with
// DMI_PROTO_OPTIONS: proto field names kept as written (keepCase), int64 as numbers (milliseconds and
// ports fit), unset scalars as defaults, unset messages as null. Writers may leave optional fields out.

/** google.protobuf.Any: type_url names a wrapper (type.googleapis.com/google.protobuf.StringValue …). */
export interface AnyValue {
  type_url: string;
  value: Buffer | Uint8Array;
}

export interface CustomizedValueMsg {
  data?: Record<string, AnyValue>;
}

export interface TwinPropertyMsg {
  value?: string;
  metadata?: Record<string, string>;
}

export interface VisitorConfigMsg {
  protocolName?: string;
  configData?: CustomizedValueMsg | null;
}

export interface ProtocolConfigMsg {
  protocolName?: string;
  configData?: CustomizedValueMsg | null;
}

export interface PushMethodMsg {
  http?: { hostname?: string; port?: number; requestpath?: string; timeout?: number } | null;
  mqtt?: { address?: string; topic?: string; qos?: number; retained?: boolean } | null;
  otel?: { endpointURL?: string } | null;
  dbMethod?: Record<string, unknown> | null;
  anomalyDetection?: CustomizedValueMsg | null;
}

export interface DevicePropertyMsg {
  name?: string;
  desired?: TwinPropertyMsg | null;
  visitors?: VisitorConfigMsg | null;
  reportCycle?: number;
  collectCycle?: number;
  reportToCloud?: boolean;
  pushMethod?: PushMethodMsg | null;
}

export interface DeviceMethodMsg {
  name?: string;
  description?: string;
  propertyNames?: string[];
}

export interface DeviceSpecMsg {
  deviceModelReference?: string;
  protocol?: ProtocolConfigMsg | null;
  properties?: DevicePropertyMsg[];
  methods?: DeviceMethodMsg[];
}

export interface TwinMsg {
  propertyName?: string;
  observedDesired?: TwinPropertyMsg | null;
  reported?: TwinPropertyMsg | null;
}

export interface DeviceStatusMsg {
  twins?: TwinMsg[];
  reportToCloud?: boolean;
  reportCycle?: number;
}

export interface DeviceMsg {
  name?: string;
  namespace?: string;
  spec?: DeviceSpecMsg | null;
  status?: DeviceStatusMsg | null;
}

export interface ModelPropertyMsg {
  name?: string;
  description?: string;
  type?: string;
  accessMode?: string;
  minimum?: string;
  maximum?: string;
  unit?: string;
}

export interface DeviceModelMsg {
  name?: string;
  namespace?: string;
  spec?: { properties?: ModelPropertyMsg[]; commands?: unknown[] } | null;
}

export interface MapperInfoMsg {
  name?: string;
  version?: string;
  api_version?: string;
  protocol?: string;
  /** The mapper's unix socket path, as bytes. */
  address?: Buffer | Uint8Array;
  state?: string;
}

export interface MapperRegisterRequest { withData?: boolean; mapper?: MapperInfoMsg | null }
export interface MapperRegisterResponse { modelList?: DeviceModelMsg[]; deviceList?: DeviceMsg[] }
export interface ReportDeviceStatusRequest { deviceName?: string; deviceNamespace?: string; reportedDevice?: DeviceStatusMsg | null }
export interface ReportDeviceStatesRequest { deviceName?: string; deviceNamespace?: string; state?: string }
export interface RegisterDeviceRequest { device?: DeviceMsg | null }
export interface RegisterDeviceResponse { deviceName?: string; deviceNamespace?: string }
export interface RemoveDeviceRequest { deviceName?: string; deviceNamespace?: string }
export interface UpdateDeviceRequest { device?: DeviceMsg | null }
export interface CreateDeviceModelRequest { model?: DeviceModelMsg | null }
export interface CreateDeviceModelResponse { deviceModelName?: string; deviceModelNamespace?: string }
export interface RemoveDeviceModelRequest { modelName?: string; modelNamespace?: string }
export interface UpdateDeviceModelRequest { model?: DeviceModelMsg | null }
export interface GetDeviceRequest { deviceName?: string; deviceNamespace?: string }
export interface GetDeviceResponse { device?: DeviceMsg | null }
export type Empty = Record<string, never>;
