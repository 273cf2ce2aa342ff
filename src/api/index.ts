export * from './meta.js';
export * from './devices.js';
