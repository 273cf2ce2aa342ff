// edgecore configuration: KubeEdge's edgecore.yaml shape (apiVersion edgecore.config.kubeedge.io/v1alpha2,
// kind EdgeCore) with the fields this release uses, plus `dataDir` (ours). Defaults → file → flags.
// Field names and defaults follow KubeEdge 1.2x so an existing edgecore.yaml reads unchanged; fields we
// do not use are accepted and ignored (passthrough), as Go's decoder ignores unknown ones.
import { z } from 'zod';
import { setAtPath } from '../core/index.js';

const edgeHub = z.object({
  enable: z.boolean().default(true),
  /** Keepalive period in seconds (KubeEdge: heartbeat). */
  heartbeat: z.number().int().positive().default(15),
  /** Upstream rate limit: messages per second and burst. */
  messageQPS: z.number().positive().default(30),
  messageBurst: z.number().int().positive().default(60),
  projectID: z.string().default('e632aba927ea4ac2b575ec1603d56f10'),
  rotateCertificates: z.boolean().default(true),
  tlsCaFile: z.string().default(''),
  tlsCertFile: z.string().default(''),
  tlsPrivateKeyFile: z.string().default(''),
  /** Join token; needed only while no certificate exists yet. */
  token: z.string().default(''),
  /** Certificate service, e.g. https://10.0.0.1:10002. */
  httpServer: z.string().default(''),
  websocket: z.object({
    enable: z.boolean().default(true),
    /** host:port of cloudhub. */
    server: z.string().default(''),
    handshakeTimeout: z.number().int().positive().default(30),
    readDeadline: z.number().int().positive().default(15),
    writeDeadline: z.number().int().positive().default(15),
  }).passthrough().prefault({}),
  /** Ours: a link with no frame received for this long is dead (seconds; KubeEdge has none, kubeedge#4650). */
  silenceTimeout: z.number().int().positive().default(45),
  /** Ours: reconnect backoff cap in seconds. */
  reconnectMaxBackoff: z.number().positive().default(30),
}).passthrough();

const edged = z.object({
  enable: z.boolean().default(true),
  /** Ours: 'cri' (containerd) or 'process'; empty picks cri when the CRI socket exists. */
  runtime: z.enum(['', 'cri', 'process']).default(''),
  tailoredKubeletFlag: z.object({
    hostnameOverride: z.string().default(''),
    remoteRuntimeEndpoint: z.string().default('unix:///run/containerd/containerd.sock'),
    nodeIP: z.string().default(''),
  }).passthrough().prefault({}),
  tailoredKubeletConfig: z.object({
    /** How often node status is checked (Go duration; sent only when it changed). */
    nodeStatusUpdateFrequency: z.string().default('10s'),
    /** Ours as in kubelet: a full status is reported at least this often even without change. */
    nodeStatusReportFrequency: z.string().default('5m'),
    nodeLeaseDurationSeconds: z.number().int().positive().default(40),
    maxPods: z.number().int().positive().default(110),
    /** Static pod manifests (YAML/JSON). Empty: <dataDir>/manifests (KubeEdge: /etc/kubeedge/manifests). */
    staticPodPath: z.string().default(''),
  }).passthrough().prefault({}),
  /** Ours: the process runtime's image catalog and state live here. Empty: <dataDir>/process-runtime. */
  processRuntimeDir: z.string().default(''),
  registerNode: z.boolean().default(true),
  nodeLabels: z.record(z.string(), z.string()).default({}),
}).passthrough();

/** KubeEdge edgeStream: the tunnel cloudcore uses for kubectl logs/exec. Ours: enabled by default. */
const edgeStream = z.object({
  enable: z.boolean().default(true),
  /** host:port of cloudcore's tunnel; empty: the cloudhub host, port 10004. */
  server: z.string().default(''),
  handshakeTimeout: z.number().int().positive().default(30),
  readDeadline: z.number().int().positive().default(15),
  writeDeadline: z.number().int().positive().default(15),
  tlsTunnelCAFile: z.string().default(''),
  tlsTunnelCertFile: z.string().default(''),
  tlsTunnelPrivateKeyFile: z.string().default(''),
}).passthrough();

const metaManager = z.object({
  enable: z.boolean().default(true),
  /** Seconds a query to the cloud waits. */
  remoteQueryTimeout: z.number().int().positive().default(60),
  metaServer: z.object({
    enable: z.boolean().default(true),
    server: z.string().default('127.0.0.1:10550'),
  }).passthrough().prefault({}),
}).passthrough();

/** KubeEdge's mqttMode: 0 internal (embedded broker), 1 both, 2 external; names accepted too. */
const mqttMode = z.union([z.literal(0), z.literal(1), z.literal(2), z.enum(['internal', 'both', 'external'])])
  .transform((m) => (typeof m === 'number' ? (['internal', 'both', 'external'] as const)[m] : m));

/** KubeEdge eventBus: the MQTT side of edgecore (device apps, mappers that push over MQTT). */
const eventBus = z.object({
  enable: z.boolean().default(true),
  /** KubeEdge's default is 2 (external: a broker such as mosquitto on 1883). */
  mqttMode: mqttMode.default('external'),
  mqttQOS: z.union([z.literal(0), z.literal(1)]).default(0),
  mqttRetain: z.boolean().default(false),
  mqttSessionQueueSize: z.number().int().positive().default(100),
  /** tcp://, mqtt://, ssl:// or mqtts:// URL of the external broker. */
  mqttServerExternal: z.string().default('tcp://127.0.0.1:1883'),
  /** The embedded broker's address; ours listens on 127.0.0.1 only unless told otherwise. */
  mqttServerInternal: z.string().default('tcp://127.0.0.1:1884'),
  mqttSubClientID: z.string().default(''),
  mqttPubClientID: z.string().default(''),
  mqttUsername: z.string().default(''),
  mqttPassword: z.string().default(''),
  /** Ours: payloads over this size from device apps are refused (bytes). */
  maxPayloadBytes: z.number().int().positive().default(1024 * 1024),
  tls: z.object({
    enable: z.boolean().default(false),
    tlsMqttCAFile: z.string().default(''),
    tlsMqttCertFile: z.string().default(''),
    tlsMqttPrivateKeyFile: z.string().default(''),
  }).passthrough().prefault({}),
}).passthrough();

/** KubeEdge deviceTwin: twins in SQLite and the DMI socket mappers register on. */
const deviceTwin = z.object({
  enable: z.boolean().default(true),
  /** Empty: <dataDir>/dmi.sock (KubeEdge: /etc/kubeedge/dmi.sock). */
  dmiSockPath: z.string().default(''),
  /** Ours: twin payloads over this size get a 400 result (bytes). */
  maxPayloadBytes: z.number().int().positive().default(64 * 1024),
}).passthrough();

export const edgeCoreSchema = z.object({
  apiVersion: z.literal('edgecore.config.kubeedge.io/v1alpha2').default('edgecore.config.kubeedge.io/v1alpha2'),
  kind: z.literal('EdgeCore').default('EdgeCore'),
  /** Ours: where edgecore keeps its state (database, certificates) unless a path is set explicitly. */
  dataDir: z.string().min(1).default('/var/lib/kubeedge'),
  database: z.object({
    driverName: z.string().default('sqlite3'),
    aliasName: z.string().default('default'),
    /** Empty: <dataDir>/edgecore.db. */
    dataSource: z.string().default(''),
  }).passthrough().prefault({}),
  modules: z.object({
    edgeHub: edgeHub.prefault({}),
    edged: edged.prefault({}),
    metaManager: metaManager.prefault({}),
    edgeStream: edgeStream.prefault({}),
    eventBus: eventBus.prefault({}),
    deviceTwin: deviceTwin.prefault({}),
  }).passthrough().prefault({}),
}).passthrough();

export type EdgeCoreConfig = z.infer<typeof edgeCoreSchema>;

/** Paths derived from dataDir where the config leaves them empty. */
export interface EdgePaths {
  database: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  /** Static pod manifests. */
  staticPodPath: string;
  /** The process runtime's state and image catalog. */
  processRuntimeDir: string;
  /** The DMI socket mappers register on. */
  dmiSocket: string;
}

export function resolvePaths(cfg: EdgeCoreConfig): EdgePaths {
  const hub = cfg.modules.edgeHub;
  const edged = cfg.modules.edged;
  const d = cfg.dataDir.replace(/\/+$/, '');
  return {
    database: cfg.database.dataSource || `${d}/edgecore.db`,
    caFile: hub.tlsCaFile || `${d}/ca/rootCA.crt`,
    certFile: hub.tlsCertFile || `${d}/certs/server.crt`,
    keyFile: hub.tlsPrivateKeyFile || `${d}/certs/server.key`,
    staticPodPath: edged.tailoredKubeletConfig.staticPodPath || `${d}/manifests`,
    processRuntimeDir: edged.processRuntimeDir || `${d}/process-runtime`,
    dmiSocket: cfg.modules.deviceTwin.dmiSockPath || `${d}/dmi.sock`,
  };
}

/** Parses a Go duration like "10s", "5m", "1h30m", "250ms" into milliseconds. */
export function parseGoDuration(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    const n = Number(m[1]);
    total += n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const)[m[2] as 'ms' | 's' | 'm' | 'h'];
    consumed += m[0].length;
  }
  if (consumed !== text.length || text === '') throw new Error(`"${text}" is not a duration like 10s, 5m or 1h`);
  return total;
}

/** Command-line flags (DESIGN.md §7) as overrides in the config's own shape. */
export interface EdgeCoreFlags {
  'data-dir'?: string;
  'node-name'?: string;
  cloudhub?: string;
  'cert-port'?: number;
  token?: string;
  runtime?: string;
  'cri-endpoint'?: string;
  'metaserver-port'?: number;
  'tunnel-port'?: number;
  'mqtt-mode'?: string;
  'mqtt-internal-port'?: number;
  'mqtt-external-url'?: string;
  'dmi-socket'?: string;
}

export function edgeFlagOverrides(f: EdgeCoreFlags): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const at = (path: string[], value: unknown): void => setAtPath(o, path, value);
  at(['dataDir'], f['data-dir']);
  at(['modules', 'edged', 'tailoredKubeletFlag', 'hostnameOverride'], f['node-name']);
  at(['modules', 'edgeHub', 'websocket', 'server'], f.cloudhub);
  if (f.cloudhub !== undefined) {
    // KubeEdge's certificate service listens on the cloudhub host, port 10002 unless told otherwise.
    const host = f.cloudhub.replace(/:\d+$/, '');
    at(['modules', 'edgeHub', 'httpServer'], `https://${host}:${f['cert-port'] ?? 10002}`);
  }
  if (f.cloudhub !== undefined || f['tunnel-port'] !== undefined) {
    const host = (f.cloudhub ?? '').replace(/:\d+$/, '');
    if (host) at(['modules', 'edgeStream', 'server'], `${host}:${f['tunnel-port'] ?? 10004}`);
  }
  at(['modules', 'edgeHub', 'token'], f.token);
  at(['modules', 'edged', 'runtime'], f.runtime);
  at(['modules', 'edged', 'tailoredKubeletFlag', 'remoteRuntimeEndpoint'], f['cri-endpoint']);
  at(['modules', 'metaManager', 'metaServer', 'server'], f['metaserver-port'] === undefined ? undefined : `127.0.0.1:${f['metaserver-port']}`);
  at(['modules', 'eventBus', 'mqttMode'], f['mqtt-mode']);
  at(['modules', 'eventBus', 'mqttServerInternal'], f['mqtt-internal-port'] === undefined ? undefined : `tcp://127.0.0.1:${f['mqtt-internal-port']}`);
  at(['modules', 'eventBus', 'mqttServerExternal'], f['mqtt-external-url']);
  at(['modules', 'deviceTwin', 'dmiSockPath'], f['dmi-socket']);
  return o;
}
