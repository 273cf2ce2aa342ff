// The external broker's address and credentials → mqtt.js connect options. KubeEdge takes
// tcp://host:port and ssl://host:port (paho); we also take mqtt:// and mqtts://. Credentials come from
// the options (mqttUsername/mqttPassword) or the URL's userinfo; they never reach a log line:
// describeBroker() gives the printable form.
import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import { EventBusError } from './errors.js';

export interface ExternalBrokerConfig {
  /** mqtt:// or tcp:// (plain), mqtts:// or ssl:// (TLS). */
  url: string;
  username?: string;
  password?: string;
  /** Used with a TLS scheme only (KubeEdge's eventBus.tls: tlsMqttCAFile, tlsMqttCertFile, tlsMqttPrivateKeyFile). */
  tls?: { caFile?: string; certFile?: string; keyFile?: string; rejectUnauthorized?: boolean };
  clientId?: string;
}

interface ParsedBrokerUrl {
  secure: boolean;
  host: string;
  port: number;
  username?: string;
  password?: string;
}

const SCHEMES: Readonly<Record<string, boolean>> = { 'mqtt:': false, 'tcp:': false, 'mqtts:': true, 'ssl:': true, 'tls:': true };

/** Throws EventBusError bad_options for a URL we cannot dial. */
export function parseBrokerUrl(url: string): ParsedBrokerUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch (err) {
    throw new EventBusError('bad_options', 'eventbus: the external broker URL is not a URL', { cause: err });
  }
  const secure = SCHEMES[u.protocol];
  if (secure === undefined) {
    throw new EventBusError('bad_options', `eventbus: external broker scheme "${u.protocol}" is not one of mqtt, tcp, mqtts, ssl`);
  }
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new EventBusError('bad_options', 'eventbus: the external broker URL has no host');
  const port = u.port === '' ? (secure ? 8883 : 1883) : Number(u.port);
  const parsed: ParsedBrokerUrl = { secure, host, port };
  if (u.username !== '') parsed.username = decodeURIComponent(u.username);
  if (u.password !== '') parsed.password = decodeURIComponent(u.password);
  return parsed;
}

/** For logs and state: scheme, host and port, never the credentials. */
export function describeBroker(url: string): string {
  try {
    const p = parseBrokerUrl(url);
    return `${p.secure ? 'mqtts' : 'mqtt'}://${p.host.includes(':') ? `[${p.host}]` : p.host}:${p.port}`;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * Connect options without the session and reconnect settings (the link adds those). Reads the TLS
 * files now, so a missing file fails start() instead of every dial; throws EventBusError tls_files.
 */
export function externalConnectOptions(cfg: ExternalBrokerConfig, clientId: string, readFile: (path: string) => Buffer = readFileSync): IClientOptions {
  const p = parseBrokerUrl(cfg.url);
  const opts: IClientOptions = { protocol: p.secure ? 'mqtts' : 'mqtt', host: p.host, port: p.port, clientId: cfg.clientId || clientId };
  const username = cfg.username || p.username;
  const password = cfg.password || p.password;
  // As KubeEdge's HubClientInit: the password is sent only with a username.
  if (username) {
    opts.username = username;
    if (password) opts.password = password;
  }
  if (p.secure) Object.assign(opts, tlsOptions(cfg.tls, p.host, readFile));
  return opts;
}

function tlsOptions(tls: ExternalBrokerConfig['tls'], host: string, readFile: (path: string) => Buffer): IClientOptions {
  // KubeEdge skips server verification when eventBus.tls is disabled; we verify (system CAs when no
  // caFile) unless rejectUnauthorized is false, so a plain ssl:// URL is not silently insecure.
  const out: IClientOptions = { rejectUnauthorized: tls?.rejectUnauthorized ?? true };
  if (!/^[\d.]+$/.test(host) && !host.includes(':')) out.servername = host;
  const read = (what: string, path: string | undefined): Buffer | undefined => {
    if (!path) return undefined;
    try {
      return readFile(path);
    } catch (err) {
      throw new EventBusError('tls_files', `eventbus: cannot read the MQTT TLS ${what} ${path}: ${(err as Error).message}`, { cause: err });
    }
  };
  const ca = read('CA file', tls?.caFile);
  const cert = read('certificate file', tls?.certFile);
  const key = read('private key file', tls?.keyFile);
  if (ca) out.ca = ca;
  if (cert) out.cert = cert;
  if (key) out.key = key;
  return out;
}
