// GET /openapi/v2: one Swagger 2.0 document for every served group-version, for clients that predate
// OpenAPI v3. Built from the v3 parts: refs move to #/definitions, request bodies become `in: body`
// parameters with `consumes`, and v3-only keywords (anyOf, oneOf, not, nullable) are dropped as
// kube-apiserver does for v2. kubectl itself asks for the protobuf form of this document; answer that
// Accept with 406 so it falls back to its compiled-in types instead of failing to decode JSON.
import type { ResourceDef } from '../registry/types.js';
import { sortedRecord } from './kind-schemas.js';
import { groupVersionParts } from './openapi-v3.js';
import { schemaRefPrefix, type Schema } from './schema-builders.js';
import { servedVersions } from './served-defs.js';

const v2RefPrefix = '#/definitions/';
const v3Only = new Set(['anyOf', 'oneOf', 'not', 'nullable']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A v3 schema tree as Swagger 2.0 accepts it. */
export function toV2Schema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toV2Schema);
  if (!isRecord(node)) return node;
  const allOf = node['allOf'];
  if (Array.isArray(allOf) && allOf.length === 1 && isRecord(allOf[0]) && typeof allOf[0]['$ref'] === 'string') {
    const { allOf: _allOf, default: _default, ...rest } = node;
    return toV2Schema({ ...rest, $ref: allOf[0]['$ref'] });
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (v3Only.has(key)) continue;
    if (key === '$ref' && typeof value === 'string') out[key] = value.replace(schemaRefPrefix, v2RefPrefix);
    else out[key] = toV2Schema(value);
  }
  return out;
}

function toV2Parameter(param: unknown): unknown {
  if (!isRecord(param)) return param;
  const { schema, ...rest } = param;
  return { ...rest, ...(isRecord(schema) ? schema : {}) };
}

function firstSchema(content: unknown): unknown {
  if (!isRecord(content)) return undefined;
  const first = Object.values(content)[0];
  return isRecord(first) ? toV2Schema(first['schema']) : undefined;
}

function toV2Operation(op: Schema): Schema {
  const { requestBody, responses, parameters, ...rest } = op;
  const params = Array.isArray(parameters) ? parameters.map(toV2Parameter) : [];
  const out: Schema = { ...rest, produces: ['application/json', 'application/yaml'], schemes: ['https'] };
  if (isRecord(requestBody) && isRecord(requestBody['content'])) {
    out['consumes'] = Object.keys(requestBody['content']);
    params.unshift({ name: 'body', in: 'body', required: true, schema: firstSchema(requestBody['content']) });
  } else {
    out['consumes'] = ['*/*'];
  }
  if (params.length > 0) out['parameters'] = params;
  const v2Responses: Schema = {};
  for (const [code, response] of Object.entries(isRecord(responses) ? responses : {})) {
    if (!isRecord(response)) continue;
    const schema = firstSchema(response['content']);
    v2Responses[code] = { description: response['description'], ...(schema ? { schema } : {}) };
  }
  out['responses'] = v2Responses;
  return out;
}

function toV2PathItem(item: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(item)) {
    if (key === 'parameters' && Array.isArray(value)) out[key] = value.map(toV2Parameter);
    else if (isRecord(value)) out[key] = toV2Operation(value);
  }
  return out;
}

/** The Swagger 2.0 document of every served group-version. */
export function openApiV2(defs: ResourceDef[]): object {
  const groupVersions = new Set<string>();
  for (const def of defs) for (const v of servedVersions(def)) groupVersions.add(def.group ? `${def.group}/${v}` : v);
  const definitions: Record<string, unknown> = {};
  const paths: Record<string, unknown> = {};
  for (const gv of [...groupVersions].sort()) {
    const parts = groupVersionParts(gv, defs);
    for (const [name, schema] of Object.entries(parts.schemas)) definitions[name] ??= toV2Schema(schema);
    for (const [path, item] of Object.entries(parts.paths)) paths[path] = toV2PathItem(item);
  }
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths: sortedRecord(paths),
    definitions: sortedRecord(definitions),
    securityDefinitions: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    security: [{ BearerToken: [] }],
  };
}
