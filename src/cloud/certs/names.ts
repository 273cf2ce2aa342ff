// Names shared with KubeEdge (cloud/pkg/cloudhub/servers/httpserver/pre_server.go), so a KubeEdge
// cloudcore or `keadm gettoken` pointed at the same cluster reads our CA and token, and we read theirs.

/** KubeEdge's constants.SystemNamespace. */
export const CERTS_NAMESPACE = 'kubeedge';

export const SecretNames = {
  ca: 'casecret',
  token: 'tokensecret',
  cloudcore: 'cloudcoresecret',
} as const;

export const SecretKeys = {
  /** CA certificate, DER. */
  caCert: 'cadata',
  /** CA private key, DER (KubeEdge writes SEC1; PKCS#8 is also read). Also the JWT HMAC key. */
  caKey: 'cakeydata',
  /** The full join token string. */
  token: 'tokendata',
  /** cloudcore's serving certificate and key, DER. */
  cloudcoreCert: 'cloudcoredata',
  cloudcoreKey: 'cloudcorekeydata',
} as const;

/** Beyond KubeEdge: one Secret per one-time token, named with the JWT's jti. */
export const ONE_TIME_PREFIX = 'onetime-token-';
export const ONE_TIME_LABEL = 'kubeedge.io/token';
export const ONE_TIME_LABEL_VALUE = 'one-time';
/** RFC 3339 expiry of a one-time token, for operators listing them. */
export const ONE_TIME_EXPIRES_ANNOTATION = 'kubeedge.io/token-expires';
/** Set (RFC 3339) when a one-time token was spent; the Secret is deleted right after. */
export const ONE_TIME_USED_ANNOTATION = 'kubeedge.io/token-used';

/** Subject of an edge node's client certificate (KubeEdge edgehub certmanager). */
export const NODE_ORGANIZATION = 'system:nodes';
export const nodeCommonName = (node: string): string => `system:node:${node}`;

/** KubeEdge's constants.ProjectName: CN of its CA and CN/O of cloudcore's serving cert. */
export const PROJECT_NAME = 'KubeEdge';

/** Paths served on the certificate port (KubeEdge common/constants DefaultCAURL / DefaultCertURL). */
export const CA_URL_PATH = '/ca.crt';
export const CERT_URL_PATH = '/edge.crt';
