export { SyncController } from './sync-controller.js';
export type { SyncControllerDeps, SyncSender } from './sync-controller.js';
export { compareResourceVersion, nodeOfSync, syncName, syncedKind, uidOfSync } from './names.js';
export type { SyncedKind } from './names.js';
