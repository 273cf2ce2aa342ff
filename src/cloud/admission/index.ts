// admission: the validating webhook for devices.kubeedge.io (bin/admission), for cloudcore on a real cluster.
export { admit, AdmissionTargets, ModelLookupError } from './admit.js';
export type { AdmissionTarget, ModelSource } from './admit.js';
export { decodeReview, encodeReview, ReviewDecodeError, ReviewVersions } from './review.js';
export type { AdmissionRequest, AdmissionResponse, DecodedReview, ReviewStatus, ReviewVersion } from './review.js';
export { kubeModelSource, loadKubeConfig, DEFAULT_LOOKUP_TIMEOUT_MS } from './model-source.js';
export { startAdmissionServer, DEFAULT_BODY_LIMIT } from './server.js';
export type { AdmissionServer, AdmissionServerOptions } from './server.js';
export { admissionFlags, parseAdmissionArgs, readTlsFiles, TlsFilesError } from './options.js';
export type { AdmissionOptions } from './options.js';
