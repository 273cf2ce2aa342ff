// GET /openapi/v3 and /openapi/v3/<api|apis/group>/<version>: one small document per group-version,
// as kube-apiserver serves them. Pure functions of the ResourceDefs, with sorted keys so that the same
// definitions always give the same bytes and so the same hash (clients cache documents by it).
import { createHash } from 'node:crypto';
import type { ResourceDef } from '../registry/types.js';
import { baseSchemaNames, builtinSchemas, completeReferences, kindSchemasFor, sortedRecord } from './kind-schemas.js';
import { resourcePaths } from './resource-paths.js';
import { defsInGroupVersion } from './served-defs.js';
import type { Schema } from './schema-builders.js';
import { groupVersionPath, parseGroupVersion } from './schema-names.js';

/** Kubernetes' document hash: SHA-512 of the JSON document, upper-case hex. */
export function documentHash(doc: object): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();
}

/**
 * The /openapi/v3 index. `groupVersions` are 'v1', 'apps/v1', ...; `hashOf` gives the current hash of
 * each document (documentHash of openApiV3Document), which clients use as a cache key.
 */
export function openApiV3Root(groupVersions: string[], hashOf: (gv: string) => string): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of [...groupVersions].sort()) {
    const path = groupVersionPath(gv);
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hashOf(gv)}` };
  }
  return { paths };
}

/** Schemas and paths of every resource of a group-version (shared with the v2 document). */
export function groupVersionParts(groupVersion: string, defs: ResourceDef[]): { schemas: Record<string, Schema>; paths: Record<string, Schema> } {
  const { version } = parseGroupVersion(groupVersion);
  const schemas: Record<string, Schema> = {};
  const paths: Record<string, Schema> = {};
  for (const def of defsInGroupVersion(groupVersion, defs)) {
    const kind = kindSchemasFor(def, version);
    Object.assign(schemas, kind.schemas);
    Object.assign(paths, resourcePaths(def, version, kind));
  }
  for (const name of baseSchemaNames) schemas[name] ??= builtinSchemas[name] as Schema;
  completeReferences(schemas, [paths]);
  return { schemas: sortedRecord(schemas), paths: sortedRecord(paths) };
}

/** The OpenAPI 3.0 document of one group-version ('v1', 'apps/v1', 'devices.kubeedge.io/v1beta1'). */
export function openApiV3Document(groupVersion: string, defs: ResourceDef[]): object {
  const { schemas, paths } = groupVersionParts(groupVersion, defs);
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths,
    components: {
      schemas,
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
    security: [{ BearerToken: [] }],
  };
}
