// Loads dmi.proto at run time with @grpc/proto-loader. The .proto stays in src/ (no build step copies
// it): from dist/src/api/dmi/*.js the repository root is four folders up.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPackageDefinition, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync, type Options, type PackageDefinition } from '@grpc/proto-loader';

/** Field names as in the .proto (withData, api_version), int64 as numbers, defaults filled in. */
export const DMI_PROTO_OPTIONS: Options = { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true };

/** The unix socket edgecore serves DeviceManagerService on when not configured (KubeEdge: /etc/kubeedge/dmi.sock). */
export const DEFAULT_DMI_SOCKET_NAME = 'dmi.sock';

export function dmiProtoPath(): string {
  const beside = fileURLToPath(new URL('./dmi.proto', import.meta.url));
  if (existsSync(beside)) return beside;
  return fileURLToPath(new URL('../../../../src/api/dmi/dmi.proto', import.meta.url));
}

export function loadDmiDefinition(): PackageDefinition {
  return loadSync(dmiProtoPath(), DMI_PROTO_OPTIONS);
}

export interface DmiServices {
  /** Served by edgecore. */
  DeviceManagerService: ServiceClientConstructor;
  /** Served by each mapper. */
  DeviceMapperService: ServiceClientConstructor;
}

export function loadDmiServices(definition: PackageDefinition = loadDmiDefinition()): DmiServices {
  const root = loadPackageDefinition(definition) as unknown as { v1beta1: Record<string, unknown> };
  const { DeviceManagerService, DeviceMapperService } = root.v1beta1;
  if (typeof DeviceManagerService !== 'function' || typeof DeviceMapperService !== 'function') {
    throw new Error('dmi.proto does not declare v1beta1 DeviceManagerService and DeviceMapperService');
  }
  return {
    DeviceManagerService: DeviceManagerService as ServiceClientConstructor,
    DeviceMapperService: DeviceMapperService as ServiceClientConstructor,
  };
}
