export { DeviceController } from './device-controller.js';
export { DEVICECONTROLLER_SOURCE, DEVICE_STATUSES } from './types.js';
export type { DeviceControllerDeps, DeviceHubSender, DeviceHubSendOptions, DeviceSyncLookup } from './types.js';
export { deviceControllerMetricTypes } from './metrics.js';
