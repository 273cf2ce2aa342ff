export { CertService } from './cert-service.js';
export type { CertServiceDeps, ServerCertPem } from './cert-service.js';
export type { CertMetrics, RefusalReason } from './metrics.js';
export type { CaMaterial } from './ca-material.js';
export { readCA, CaSecretError } from './ca-store.js';
export { issueOneTimeToken, readJoinToken, mintJoinToken, oneTimeSecretName } from './token-store.js';
export type { OneTimeToken } from './token-store.js';
export { MAX_BODY_BYTES } from './https-server.js';
export {
  CERTS_NAMESPACE, SecretNames, SecretKeys, ONE_TIME_PREFIX, ONE_TIME_LABEL, ONE_TIME_LABEL_VALUE,
  NODE_ORGANIZATION, nodeCommonName, CA_URL_PATH, CERT_URL_PATH,
} from './names.js';
