// dmi: DeviceManagerService for mappers on a unix socket, and the calls to each mapper's
// DeviceMapperService (KubeEdge's dmiserver, dmiclient and dmiworker).
export { DmiServer } from './dmi-server.js';
export { DmiError, DmiRequestError, isUnreachable } from './errors.js';
export type { DmiErrorCode } from './errors.js';
export { DmiSocketError } from './unix-server.js';
export type {
  DmiMetrics, DmiObjectChange, DmiObjectStore, DmiObjectType, DmiRateLimit, DmiReports, DmiServerOptions, MapperPort,
  MapperRecord, MapperRecordStore, MapperState, MapperView, ReportedTwin,
} from './types.js';
