// cloudcore: the cloud half of KubeEdge-TS. Parses flags and config, builds the services, and owns
// the process exit code. With no --kubeconfig it runs the embedded control plane.
import { mkdirSync } from 'node:fs';
import {
  ConfigError, FlagError, ServiceManager, createLogger, loadBinaryConfig, onShutdownSignals, type LogLevel,
} from '../core/index.js';
import { cloudCoreSchema, flagOverrides, type CloudCoreConfig } from './config.js';
import type { ControlPlane } from '../controlplane/index.js';
import { controlPlaneService } from './controlplane-service.js';
import { linkServices } from './link-services.js';

const flags = {
  config: { type: 'string', description: 'YAML config in the shape of KubeEdge cloudcore.yaml' },
  kubeconfig: { type: 'string', description: 'kubeconfig of a real cluster; empty: run the embedded control plane' },
  'data-dir': { type: 'string', description: 'state directory', default: '/var/lib/kubeedge' },
  'advertise-address': { type: 'string', description: 'IP address edge nodes use to reach cloudcore' },
  'apiserver-port': { type: 'number', description: 'embedded control plane HTTPS port', default: 6443 },
  'cloudhub-port': { type: 'number', description: 'cloudhub WebSocket port', default: 10000 },
  'cert-port': { type: 'number', description: 'certificate service port', default: 10002 },
  'stream-port': { type: 'number', description: 'cloudstream port', default: 10003 },
  'tunnel-port': { type: 'number', description: 'tunnel port', default: 10004 },
  'metrics-port': { type: 'number', description: 'metrics port', default: 9091 },
  'log-level': { type: 'string', description: 'debug, info, warn or error', default: 'info' },
  defaultconfig: { type: 'boolean', description: 'print the default configuration and exit' },
} as const;

export async function main(argv: string[]): Promise<void> {
  let cfg: CloudCoreConfig;
  let level: LogLevel = 'info';
  try {
    const loaded = loadBinaryConfig(argv, {
      flags, schema: cloudCoreSchema, usage: 'cloudcore [flags]', description: 'KubeEdge-TS cloud side', overrides: flagOverrides,
    });
    if (loaded.kind === 'print') {
      process.stdout.write(loaded.text);
      return;
    }
    cfg = loaded.cfg;
    level = (loaded.values['log-level'] ?? 'info') as LogLevel;
  } catch (err) {
    if (err instanceof FlagError || err instanceof ConfigError) {
      process.stderr.write(`cloudcore: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }

  const log = createLogger({ component: 'cloudcore', level });
  mkdirSync(cfg.dataDir, { recursive: true, mode: 0o700 });
  const manager = new ServiceManager({ log });
  const embedded = cfg.kubeAPIConfig.kubeConfig === '';
  let controlPlane: ControlPlane | undefined;
  if (embedded) manager.add(controlPlaneService(cfg, { onStarted: (cp) => { controlPlane = cp; } }));
  for (const s of linkServices(cfg, { embedded, log, apiServer: () => controlPlane?.server })) manager.add(s);
  const shutdown = onShutdownSignals(manager, log);
  try {
    await manager.start();
  } catch (err) {
    log.error('failed', { error: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
  log.info('ready', { dataDir: cfg.dataDir });
  const result = await shutdown;
  process.exit(result.forced ? 130 : 0);
}
