export { loadBundledCRDs, findPackageRoot, defaultCRDDir, parseCRDDocuments } from './bundled-crds.js';
export {
  coreApiVersions, apiGroupList, apiGroup, apiResourceList, storageVersionHash, type GroupInfo,
} from './discovery.js';
export {
  aggregatedDiscovery, negotiateDiscovery, discoveryContentType, type DiscoveryVersion, type DiscoveryFormat,
} from './aggregated-discovery.js';
export { openApiV3Root, openApiV3Document, documentHash } from './openapi-v3.js';
export { openApiV2 } from './openapi-v2.js';
export { subresourcesOf, type SubresourceInfo } from './subresources.js';
export { schemaName, groupVersionPath, parseGroupVersion } from './schema-names.js';
export { defsInGroupVersion, servedVersions } from './served-defs.js';
