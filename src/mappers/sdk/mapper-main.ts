// The main of every mapper binary: flags → config (defaults → --config file → flags) → runMapper → wait
// for SIGINT/SIGTERM → stop. Only this function exits the process.
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import {
  ConfigError, FlagError, createLogger, formatHelp, onShutdownSignals, parseFlags, setAtPath, type LogLevel,
} from '../../core/index.js';
import { parseMapperConfig } from './config.js';
import { errorMessage } from './errors.js';
import { runMapper } from './run-mapper.js';
import type { DriverFactory, MapperConfig } from './types.js';

export const mapperFlags = {
  config: { type: 'string', description: 'YAML config in the shape of KubeEdge mapper-framework config.yaml' },
  socket: { type: 'string', description: "this mapper's DeviceMapperService socket (grpc_server.socket_path)" },
  'edgecore-sock': { type: 'string', description: "edgecore's DMI socket (common.edgecore_sock)" },
  name: { type: 'string', description: 'mapper name (common.name)' },
  'log-level': { type: 'string', description: 'debug, info, warn or error', default: 'info' },
  defaultconfig: { type: 'boolean', description: 'print the default configuration and exit' },
} as const;

export interface MapperMainOptions {
  /** The mapper's built-in config, in the file's shape (name, protocol, socket path). */
  defaults?: Partial<{ grpc_server: Partial<MapperConfig['grpc_server']>; common: Partial<MapperConfig['common']> }>;
  /** For --help; default "mapper". */
  binary?: string;
}

/** Resolves the config from the command line; pure apart from reading --config. Throws FlagError/ConfigError. */
export function mapperConfigFromArgv(argv: readonly string[], defaults: MapperMainOptions['defaults'] = {}, binary = 'mapper'):
  { kind: 'run'; config: Readonly<MapperConfig>; level: LogLevel } | { kind: 'print'; text: string } {
  const parsed = parseFlags(argv, mapperFlags);
  if (parsed.help) return { kind: 'print', text: formatHelp(mapperFlags, { usage: `${binary} [flags]`, description: 'KubeEdge-TS device mapper (DMI v1beta1)' }) };
  const v = parsed.values;
  const overrides: Record<string, unknown> = {};
  setAtPath(overrides, ['grpc_server', 'socket_path'], v.socket);
  setAtPath(overrides, ['common', 'edgecore_sock'], v['edgecore-sock']);
  setAtPath(overrides, ['common', 'name'], v.name);
  if (v.defaultconfig) return { kind: 'print', text: stringify(parseMapperConfig({ defaults, overrides })) };
  let fileText: string | undefined;
  if (v.config !== undefined) fileText = readConfig(v.config);
  const config = parseMapperConfig({ defaults, overrides, ...(fileText === undefined ? {} : { fileText, fileName: v.config }) });
  const level = v['log-level'] ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new FlagError(`--log-level takes debug, info, warn or error, not "${level}"`, 'log-level');
  return { kind: 'run', config, level: level as LogLevel };
}

export async function mapperMain(argv: readonly string[], driverFactory: DriverFactory, opts: MapperMainOptions = {}): Promise<void> {
  const binary = opts.binary ?? 'mapper';
  let resolved: ReturnType<typeof mapperConfigFromArgv>;
  try {
    resolved = mapperConfigFromArgv(argv, opts.defaults, binary);
  } catch (err) {
    if (err instanceof FlagError || err instanceof ConfigError) {
      process.stderr.write(`${binary}: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  if (resolved.kind === 'print') {
    process.stdout.write(resolved.text);
    return;
  }
  const { config, level } = resolved;
  const log = createLogger({ component: binary, level });
  const now = Date.now;
  let mapper: Awaited<ReturnType<typeof runMapper>>;
  try {
    mapper = await runMapper({ config, driver: driverFactory({ log: log.child('driver'), now }), log, now });
  } catch (err) {
    log.error('failed', { error: errorMessage(err) });
    process.exit(1);
  }
  log.info('ready', { name: config.common.name, protocol: config.common.protocol });
  const result = await onShutdownSignals(mapper, log);
  process.exit(result.forced ? 130 : 0);
}

function readConfig(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([{ path: '(root)', message: `cannot read ${path}: ${(err as Error).message}` }], { source: path, cause: err });
  }
}
