// Loads our runtime.v1 subset (api.proto) at run time with @grpc/proto-loader. The .proto stays in src/
// (no build step copies it): from dist/src/edge/runtime/cri/*.js the repository root is five folders up.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPackageDefinition, type ServiceClientConstructor, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync, type Options, type PackageDefinition } from '@grpc/proto-loader';

/**
 * Decoding choices the converters rely on: camelCase field names, int64/uint64 as decimal strings (CRI
 * timestamps are nanoseconds, beyond 2^53), enums as their names, unset scalars as defaults and unset
 * messages as null.
 */
export const CRI_PROTO_OPTIONS: Options = { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true };

export function criProtoPath(): string {
  const beside = fileURLToPath(new URL('./api.proto', import.meta.url));
  if (existsSync(beside)) return beside;
  return fileURLToPath(new URL('../../../../../src/edge/runtime/cri/api.proto', import.meta.url));
}

export function loadCriDefinition(): PackageDefinition {
  return loadSync(criProtoPath(), CRI_PROTO_OPTIONS);
}

export interface CriServices {
  RuntimeService: ServiceClientConstructor;
  ImageService: ServiceClientConstructor;
}

export function loadCriServices(definition: PackageDefinition = loadCriDefinition()): CriServices {
  const root = loadPackageDefinition(definition) as unknown as { runtime: { v1: Record<string, unknown> } };
  const { RuntimeService, ImageService } = root.runtime.v1;
  if (typeof RuntimeService !== 'function' || typeof ImageService !== 'function') {
    throw new Error('api.proto does not declare runtime.v1 RuntimeService and ImageService');
  }
  return { RuntimeService: RuntimeService as ServiceClientConstructor, ImageService: ImageService as ServiceClientConstructor };
}

export type CriServiceName = keyof CriServices;

export function serviceDefinition(services: CriServices, name: CriServiceName): ServiceDefinition {
  return services[name].service;
}
