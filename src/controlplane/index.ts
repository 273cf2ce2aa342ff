export { startControlPlane, type ControlPlane, type ControlPlaneOptions } from './control-plane.js';
export { systemNamespaces } from './bootstrap.js';
export type { ObjectAPI } from './objects/types.js';
