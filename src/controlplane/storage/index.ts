export type { Store, StoreEvent, StoreListResult, StorePrefilter, StoreWatchOptions, WatchEventType } from './types.js';
export type { StoreLog } from './schema.js';
export { SCHEMA_VERSION } from './schema.js';
export { DEFAULT_HISTORY_LIMIT, SqliteStore, openStore, type OpenStoreOptions } from './sqlite-store.js';
export { resourceNameOf } from './object-keys.js';
