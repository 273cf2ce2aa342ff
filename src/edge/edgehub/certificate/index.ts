export { bootstrapCertificates } from './bootstrap.js';
export type { BootstrapOptions, BootstrapResult } from './bootstrap.js';
export { CertificateRotator } from './rotator.js';
export type { RotatorOptions } from './rotator.js';
export { CertificateError } from './errors.js';
export type { CertificateErrorCode } from './errors.js';
export { readCurrentCert } from './cert-files.js';
export type { CertPaths, CurrentCert } from './cert-files.js';
