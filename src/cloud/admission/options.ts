// bin/admission's flags, in KubeEdge admission's spelling where it has them (--kubeconfig, --master,
// --port 443, --tls-cert-file, --tls-private-key-file), plus --bind-address and --log-level. KubeEdge's
// --ca-cert-file, --webhook-namespace and --webhook-service-name exist there only so the binary can
// register its own webhook configuration; here deploy/admission/ holds that object, so they are absent.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { createSecureContext } from 'node:tls';
import { FlagError, parseFlags, type FlagValues, type LogLevel } from '../../core/index.js';

export const admissionFlags = {
  kubeconfig: { type: 'string', description: 'kubeconfig used to read DeviceModels; empty: KUBECONFIG, ~/.kube/config, then in-cluster' },
  master: { type: 'string', description: 'address of the Kubernetes API server (overrides the kubeconfig\'s)' },
  'bind-address': { type: 'string', description: 'IP address to listen on', default: '0.0.0.0' },
  port: { type: 'number', description: 'HTTPS port', default: 443 },
  'tls-cert-file': { type: 'string', description: 'PEM serving certificate (intermediates after it); required' },
  'tls-private-key-file': { type: 'string', description: 'PEM private key of --tls-cert-file; required' },
  'log-level': { type: 'string', description: 'debug, info, warn or error', default: 'info' },
} as const;

const logLevels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export interface AdmissionOptions {
  kubeconfig?: string;
  master?: string;
  bindAddress: string;
  port: number;
  certFile: string;
  keyFile: string;
  logLevel: LogLevel;
}

/** The serving certificate cannot be used: main prints the message and exits 1. */
export class TlsFilesError extends Error {
  override readonly name = 'TlsFilesError';
}

export type ParsedAdmissionArgs = { kind: 'help' } | { kind: 'run'; options: AdmissionOptions };

function requiredFile(values: FlagValues<typeof admissionFlags>, flag: 'tls-cert-file' | 'tls-private-key-file'): string {
  const v = values[flag];
  if (v === undefined || v === '') throw new TlsFilesError(`--${flag} is required: the webhook serves HTTPS only`);
  return v;
}

/** Flags → options; FlagError for bad flags, TlsFilesError when a certificate flag is missing. */
export function parseAdmissionArgs(argv: readonly string[]): ParsedAdmissionArgs {
  const { values, positionals, help } = parseFlags(argv, admissionFlags);
  if (help) return { kind: 'help' };
  if (positionals.length > 0) throw new FlagError(`unexpected argument ${JSON.stringify(positionals[0])}`, '');
  const port = values.port ?? 443;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new FlagError(`--port must be 0-65535, not ${port}`, 'port');
  const bindAddress = values['bind-address'] ?? '0.0.0.0';
  if (isIP(bindAddress) === 0) throw new FlagError(`--bind-address must be an IP address, not ${JSON.stringify(bindAddress)}`, 'bind-address');
  const logLevel = (values['log-level'] ?? 'info') as LogLevel;
  if (!logLevels.includes(logLevel)) throw new FlagError(`--log-level must be one of ${logLevels.join(', ')}`, 'log-level');
  const options: AdmissionOptions = {
    bindAddress, port, logLevel,
    certFile: requiredFile(values, 'tls-cert-file'),
    keyFile: requiredFile(values, 'tls-private-key-file'),
  };
  if (values.kubeconfig) options.kubeconfig = values.kubeconfig;
  if (values.master) options.master = values.master;
  return { kind: 'run', options };
}

function readPem(path: string, flag: string, label: RegExp): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TlsFilesError(`cannot read --${flag} ${path}: ${code ?? (err as Error).message}`, { cause: err });
  }
  if (!label.test(text)) throw new TlsFilesError(`--${flag} ${path} holds no PEM ${flag === 'tls-cert-file' ? 'certificate' : 'private key'}`);
  return text;
}

/** Reads both files and checks they form a key pair; TlsFilesError names flags and paths, never the key. */
export function readTlsFiles(opts: Pick<AdmissionOptions, 'certFile' | 'keyFile'>): { cert: string; key: string } {
  const cert = readPem(opts.certFile, 'tls-cert-file', /-----BEGIN CERTIFICATE-----/);
  const key = readPem(opts.keyFile, 'tls-private-key-file', /-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw new TlsFilesError(`--tls-cert-file ${opts.certFile} and --tls-private-key-file ${opts.keyFile} are not a usable pair: ${(err as Error).message}`, { cause: err });
  }
  return { cert, key };
}
