// The CRI endpoint as a socket path, and whether it exists: cheap checks that must not load gRPC
// (edgecore picks the process runtime without ever loading the CRI client).
import { statSync } from 'node:fs';
import { RuntimeError } from '../types.js';

/** /path of unix:///path, unix:/path or /path. */
export function criSocketPath(endpoint: string): string {
  if (endpoint.startsWith('unix://')) return endpoint.slice('unix://'.length);
  if (endpoint.startsWith('unix:')) return endpoint.slice('unix:'.length);
  if (endpoint.startsWith('/')) return endpoint;
  throw new RuntimeError('InvalidArgument', `CRI endpoint ${endpoint} is not a unix socket (unix:///path or /path)`);
}

/** True when the endpoint names an existing unix socket (it may still have nobody behind it). */
export function criSocketExists(endpoint: string): boolean {
  try {
    return statSync(criSocketPath(endpoint)).isSocket();
  } catch {
    return false;
  }
}
