export * from './meta.js';
export * from './devices.js';
export * from './device-validation.js';
