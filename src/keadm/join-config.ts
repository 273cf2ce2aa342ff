// The edgecore.yaml `keadm join` writes: KubeEdge's shape (edgecore.config.kubeedge.io/v1alpha2,
// kind EdgeCore; see src/edge/config.ts) with only the fields join decides; edgecore fills the rest
// with its defaults. Pure: flags in, text out.
import { isIP } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { UsageError } from './errors.js';

export interface JoinSettings {
  /** cloudhub host and port, from --cloudcore-ipport. */
  host: string;
  port: number;
  certPort: number;
  token: string;
  nodeName: string;
  /** Absolute. */
  dataDir: string;
  runtime?: 'cri' | 'process';
  remoteRuntimeEndpoint?: string;
}

export interface EdgePaths {
  config: string;
  database: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  pidFile: string;
  logFile: string;
}

/** Where join puts things under the data dir (the defaults of src/edge/config.ts resolvePaths). */
export function edgePaths(dataDir: string): EdgePaths {
  return {
    config: join(dataDir, 'edgecore.yaml'),
    database: join(dataDir, 'edgecore.db'),
    caFile: join(dataDir, 'ca', 'rootCA.crt'),
    certFile: join(dataDir, 'certs', 'server.crt'),
    keyFile: join(dataDir, 'certs', 'server.key'),
    pidFile: join(dataDir, 'edgecore.pid'),
    logFile: join(dataDir, 'edgecore.log'),
  };
}

/** "10.0.0.1:10000", "cloud.example:10000" or "[fd00::1]:10000". */
export function parseIpPort(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  if (!host || !(port >= 1 && port <= 65535) || (m?.[1] !== undefined && isIP(m[1]) !== 6)) {
    throw new UsageError(`--cloudcore-ipport takes HOST:PORT (e.g. 10.0.0.1:10000), not "${text}"`);
  }
  return { host, port };
}

const NODE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function checkNodeName(name: string): string {
  if (name.length > 253 || !NODE_NAME.test(name)) {
    throw new UsageError(`--edgenode-name "${name}" is not a valid node name (lowercase letters, digits, '-' and '.')`);
  }
  return name;
}

export const hostForUrl = (host: string): string => (isIP(host) === 6 ? `[${host}]` : host);

export function certServerUrl(s: Pick<JoinSettings, 'host' | 'certPort'>): string {
  return `https://${hostForUrl(s.host)}:${s.certPort}`;
}

export function edgeCoreConfig(s: JoinSettings): Record<string, unknown> {
  const p = edgePaths(s.dataDir);
  const edged: Record<string, unknown> = { tailoredKubeletFlag: { hostnameOverride: s.nodeName } };
  if (s.runtime) edged['runtime'] = s.runtime;
  if (s.remoteRuntimeEndpoint) (edged['tailoredKubeletFlag'] as Record<string, unknown>)['remoteRuntimeEndpoint'] = s.remoteRuntimeEndpoint;
  return {
    apiVersion: 'edgecore.config.kubeedge.io/v1alpha2',
    kind: 'EdgeCore',
    dataDir: s.dataDir,
    database: { dataSource: p.database },
    modules: {
      edgeHub: {
        httpServer: certServerUrl(s),
        // Kept, as KubeEdge's keadm does, so edgecore can re-bootstrap if its certificate files vanish.
        token: s.token,
        tlsCaFile: p.caFile,
        tlsCertFile: p.certFile,
        tlsPrivateKeyFile: p.keyFile,
        websocket: { server: `${hostForUrl(s.host)}:${s.port}` },
      },
      edged,
    },
  };
}

export function edgeCoreYaml(s: JoinSettings): string {
  return `# written by keadm join\n${stringify(edgeCoreConfig(s))}`;
}
