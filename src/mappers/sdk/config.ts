// The mapper's config file, in the shape of KubeEdge mapper-framework's config.yaml (grpc_server.socket_path,
// common.{name, version, api_version, protocol, address, edgecore_sock, http_port}). Parsing is pure; only
// loadMapperConfig reads the file.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../../core/index.js';
import type { MapperConfig } from './types.js';

/** KubeEdge's default DMI socket of edgecore. */
export const DEFAULT_EDGECORE_SOCK = '/etc/kubeedge/dmi.sock';

const nonEmpty = (what: string): z.ZodString => z.string({ error: `${what} is required` }).min(1, `${what} must not be empty`);

// KubeEdge writes http_port as a string ("" = none); numbers are accepted too.
const httpPort = z
  .union([z.number().int().min(0).max(65535), z.string().regex(/^\d*$/, 'http_port must be a port number')])
  .transform((v) => (v === '' ? 0 : Number(v)))
  .refine((v) => v <= 65535, 'http_port must be at most 65535');

export const mapperConfigSchema = z.object({
  grpc_server: z.object({ socket_path: nonEmpty('grpc_server.socket_path') }, { error: 'grpc_server is required' }),
  common: z.object(
    {
      name: nonEmpty('common.name'),
      version: z.string().default('v1.0.0'),
      api_version: z.string().default('v1.0.0'),
      protocol: nonEmpty('common.protocol'),
      address: z.string().optional(),
      edgecore_sock: z.string().min(1).default(DEFAULT_EDGECORE_SOCK),
      http_port: httpPort.optional(),
    },
    { error: 'common is required' },
  ),
});

export interface MapperConfigSources {
  /** Values used where the file is silent (a mapper's name, protocol and socket). */
  defaults?: unknown;
  fileText?: string;
  fileName?: string;
  /** Command-line values in the config's own shape. */
  overrides?: unknown;
}

/** defaults → file → overrides → validated, frozen config. Throws ConfigError listing every issue. */
export function parseMapperConfig(sources: MapperConfigSources): Readonly<MapperConfig> {
  const cfg = loadConfig(mapperConfigSchema, {
    defaults: sources.defaults ?? {},
    ...(sources.fileText === undefined ? {} : { fileText: sources.fileText }),
    ...(sources.fileName === undefined ? {} : { fileName: sources.fileName }),
    overrides: sources.overrides,
  });
  return cfg as Readonly<MapperConfig>;
}

/** Reads and validates a mapper config file. */
export function loadMapperConfig(path: string, overrides?: unknown): Readonly<MapperConfig> {
  let fileText: string;
  try {
    fileText = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([{ path: '(root)', message: `cannot read ${path}: ${(err as Error).message}` }], { source: path, cause: err });
  }
  return parseMapperConfig({ fileText, fileName: path, overrides });
}
