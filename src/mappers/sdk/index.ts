// The mapper SDK: a DeviceDriver for one protocol plus a config file make a DMI mapper (runMapper);
// mapperMain is the whole main of a mapper binary.
export type {
  DeviceDriver, DriverFactory, MapperConfig, MapperDevice, MapperMethod, MapperProperty, MapperStatus, RunMapperOptions, RunningMapper,
} from './types.js';
export { runMapper } from './run-mapper.js';
export { mapperMain, mapperConfigFromArgv, mapperFlags } from './mapper-main.js';
export type { MapperMainOptions } from './mapper-main.js';
export { loadMapperConfig, parseMapperConfig, mapperConfigSchema, DEFAULT_EDGECORE_SOCK } from './config.js';
export { ApiRequestError, DriverError, DmiRequestError, EdgecoreCallError, HttpListenError } from './errors.js';
export type { ApiRequestCode, DriverErrorCode, DmiRequestCode } from './errors.js';
export { DEFAULT_HTTP_ADDRESS } from './http-api.js';
export { API_BASE, API_VERSION } from './http-api-routes.js';
export { buildMapperDevice, resourceId } from './device-spec.js';
export { pushUrl } from './push.js';
export type { PushRecord } from './push.js';
export { DEFAULT_CYCLE_MS } from './device-runner.js';
export { mapperInfo, MAPPER_STATE_OK } from './registration.js';
