export * from './types.js';
export { createObjectAPI, type ObjectAPIService } from './object-api.js';
export { DEFAULT_BOOKMARK_INTERVAL_MS, type ObjectApiDeps, type ObjectApiLog } from './env.js';
export { initialEventsEndAnnotation } from './watch.js';
export { immortalNamespaces } from './admission.js';
export { builtinRefs } from './refs.js';
