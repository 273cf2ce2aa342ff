export { DeviceTwin } from './device-twin.js';
export type { DeviceTwinOptions } from './device-twin.js';
export type { TwinBus, TwinHub, DeviceObjectStore, ReportedTwin, TwinReports, DeviceTwinMetrics } from './types.js';
export { TwinRequestError } from './errors.js';
export type { TwinErrorCode } from './errors.js';
export { DEVICETWIN_MIGRATIONS } from './schema.js';
export { validateTypedValue, isValidTwinKey, isValidTwinValue } from './validation.js';
