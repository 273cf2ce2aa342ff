export { startApiServer } from './server.js';
export type { ApiServer, ApiServerOptions } from './server.js';
export { ensureServingCerts, adminUser } from './pki.js';
export type { ServingCerts } from './pki.js';
export { TokenAuthenticator, parseTokenLine, formatTokenLine } from './authn.js';
export type { TokenVerifier } from './authn.js';
export { authorize } from './authz.js';
export type { Authorizer, Attributes, ResourceAttributes, NonResourceAttributes, Decision } from './authz.js';
export { podStreamSubresources } from './pod-streams.js';
export type { PodStreamHandler, PodStreamParams, PodStreamSubresource } from './pod-streams.js';
export { renderKubeconfig, writeKubeconfig } from './kubeconfig.js';
export type { KubeconfigInput } from './kubeconfig.js';
export { defaultVersion } from './version.js';
export type { VersionInfo } from './version.js';
export type { CatalogView } from './context.js';
// The typed errors this server turns into Status answers (for fakes and callers outside controlplane).
export { ApiError, errors, isApiError } from '../errors.js';
export type { StatusReason } from '../errors.js';
