// core: the protocol, the module bus, lifecycle, logging, config and PKI. Imports nothing of ours.
export * from './protocol/index.js';
export * from './bus/index.js';
export * from './lifecycle/index.js';
export * from './log/index.js';
export * from './config/index.js';
export * from './pki/index.js';
