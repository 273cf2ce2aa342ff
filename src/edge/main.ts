// edgecore: the edge half of KubeEdge-TS. Parses flags and config, builds the modules (edgehub,
// metamanager, edged's node status, metaserver) around one SQLite database, and owns the exit code.
import { hostname } from 'node:os';
import {
  ConfigError, FlagError, ServiceManager, createLogger, loadBinaryConfig, onShutdownSignals, type LogLevel, type Logger,
} from '../core/index.js';
import { edgeCoreSchema, edgeFlagOverrides, resolvePaths, type EdgeCoreConfig } from './config.js';
import { edgeServices } from './services.js';

const flags = {
  config: { type: 'string', description: 'YAML config in the shape of KubeEdge edgecore.yaml' },
  'data-dir': { type: 'string', description: 'state directory (database, certificates)' },
  'node-name': { type: 'string', description: 'node name (default: the hostname)' },
  cloudhub: { type: 'string', description: 'cloudhub address HOST:PORT' },
  'cert-port': { type: 'number', description: 'certificate service port on the cloudhub host (default 10002)' },
  'tunnel-port': { type: 'number', description: 'cloudcore tunnel port for kubectl logs/exec (default 10004)' },
  token: { type: 'string', description: 'join token (keadm gettoken); needed until a certificate exists' },
  runtime: { type: 'string', description: 'cri or process' },
  'cri-endpoint': { type: 'string', description: 'CRI socket, e.g. unix:///run/containerd/containerd.sock' },
  'metaserver-port': { type: 'number', description: 'local API port on 127.0.0.1 (default 10550)' },
  'mqtt-mode': { type: 'string', description: 'internal (embedded broker), external (e.g. mosquitto) or both' },
  'mqtt-internal-port': { type: 'number', description: 'embedded MQTT broker port on 127.0.0.1 (default 1884)' },
  'mqtt-external-url': { type: 'string', description: 'external MQTT broker, e.g. mqtt://127.0.0.1:1883' },
  'dmi-socket': { type: 'string', description: 'unix socket mappers register on (default <data-dir>/dmi.sock)' },
  'log-level': { type: 'string', description: 'debug, info, warn or error', default: 'info' },
  defaultconfig: { type: 'boolean', description: 'print the default configuration and exit' },
} as const;

export async function main(argv: string[]): Promise<void> {
  let cfg: EdgeCoreConfig;
  let level: LogLevel = 'info';
  try {
    const loaded = loadBinaryConfig(argv, {
      flags, schema: edgeCoreSchema, usage: 'edgecore [flags]', description: 'KubeEdge-TS edge node agent', overrides: edgeFlagOverrides,
    });
    if (loaded.kind === 'print') {
      process.stdout.write(loaded.text);
      return;
    }
    cfg = loaded.cfg;
    if (cfg.modules.edgeHub.websocket.server === '') throw new ConfigError([{ path: 'modules.edgeHub.websocket.server', message: 'no cloudhub address: set --cloudhub HOST:PORT or this field' }]);
    if (cfg.modules.edgeHub.httpServer === '') throw new ConfigError([{ path: 'modules.edgeHub.httpServer', message: 'no certificate service: set --cloudhub (and --cert-port) or this field' }]);
    level = (loaded.values['log-level'] ?? 'info') as LogLevel;
  } catch (err) {
    if (err instanceof FlagError || err instanceof ConfigError) {
      process.stderr.write(`edgecore: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }

  const nodeName = nodeNameOf(cfg);
  const log: Logger = createLogger({ component: 'edgecore', level });
  const manager = new ServiceManager({ log });
  for (const s of edgeServices({ cfg, nodeName, paths: resolvePaths(cfg), log })) manager.add(s);
  const shutdown = onShutdownSignals(manager, log);
  try {
    await manager.start();
  } catch (err) {
    log.error('failed', { error: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
  log.info('ready', { node: nodeName, dataDir: cfg.dataDir });
  const result = await shutdown;
  process.exit(result.forced ? 130 : 0);
}

/** KubeEdge: hostnameOverride, else the lowercased hostname. */
function nodeNameOf(cfg: EdgeCoreConfig): string {
  return (cfg.modules.edged.tailoredKubeletFlag.hostnameOverride || hostname()).toLowerCase();
}
