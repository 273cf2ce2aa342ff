// Parameters and bodies of the operations in an OpenAPI v3 document. kubectl reads two things from
// them: the PATCH operation of a kind must list the `fieldValidation` query parameter (or kubectl falls
// back to client-side validation through /openapi/v2), and its request body must list
// application/strategic-merge-patch+json for kubectl to compute a strategic merge patch.
import { bodyRef, deepFreeze, metaName, type Schema } from './schema-builders.js';

const query = (name: string, type: 'string' | 'integer' | 'boolean', description: string): Schema => ({
  name, in: 'query', description, schema: { type, uniqueItems: true },
});
const pathParam = (name: string, description: string): Schema => ({
  name, in: 'path', description, required: true, schema: { type: 'string', uniqueItems: true },
});

export const nameParam: Readonly<Schema> = deepFreeze(pathParam('name', 'name of the object'));
export const namespaceParam: Readonly<Schema> = deepFreeze(pathParam('namespace', 'object name and auth scope, such as for teams and projects'));
export const prettyParam: Readonly<Schema> = deepFreeze(query('pretty', 'string', "If 'true', the output is pretty printed."));

const dryRun = query('dryRun', 'string', 'When present (All), modifications are not persisted.');
const fieldManager = query('fieldManager', 'string', 'Name of the actor making the change, for field management.');
const fieldValidation = query('fieldValidation', 'string', 'Ignore, Warn or Strict: how unknown and duplicate fields are handled.');

export const writeParams: Readonly<Schema[]> = deepFreeze([dryRun, fieldManager, fieldValidation]);
export const patchParams: Readonly<Schema[]> = deepFreeze([...writeParams, query('force', 'boolean', 'Force an apply request, taking over conflicting fields.')]);
export const listParams: Readonly<Schema[]> = deepFreeze([
  query('allowWatchBookmarks', 'boolean', 'Ask for BOOKMARK watch events.'),
  query('continue', 'string', 'Continue token of a paginated list.'),
  query('fieldSelector', 'string', 'Restrict the list by fields.'),
  query('labelSelector', 'string', 'Restrict the list by labels.'),
  query('limit', 'integer', 'Maximum number of items to return.'),
  query('resourceVersion', 'string', 'Resource version to list or watch from.'),
  query('resourceVersionMatch', 'string', 'How resourceVersion applies to a list.'),
  query('sendInitialEvents', 'boolean', 'Start a watch with the current state as synthetic ADDED events.'),
  query('timeoutSeconds', 'integer', 'Timeout of the list or watch call.'),
  query('watch', 'boolean', 'Watch for changes instead of listing.'),
]);
export const deleteParams: Readonly<Schema[]> = deepFreeze([
  dryRun,
  query('gracePeriodSeconds', 'integer', 'Seconds before the object is deleted; 0 deletes immediately.'),
  query('propagationPolicy', 'string', 'Orphan, Background or Foreground garbage collection.'),
]);
export const logParams: Readonly<Schema[]> = deepFreeze([
  query('container', 'string', 'Container to stream logs of.'),
  query('follow', 'boolean', 'Follow the log stream.'),
  query('limitBytes', 'integer', 'Bytes to read before stopping.'),
  query('previous', 'boolean', 'Logs of the previous, terminated container instance.'),
  query('sinceSeconds', 'integer', 'Only logs newer than this many seconds.'),
  query('tailLines', 'integer', 'Lines from the end of the log to show.'),
  query('timestamps', 'boolean', 'Prefix each line with its timestamp.'),
]);
export const execParams: Readonly<Schema[]> = deepFreeze([
  query('command', 'string', 'Command to run; repeat for each argument.'),
  query('container', 'string', 'Container to run the command in.'),
  query('stderr', 'boolean', 'Redirect standard error.'),
  query('stdin', 'boolean', 'Redirect standard input.'),
  query('stdout', 'boolean', 'Redirect standard output.'),
  query('tty', 'boolean', 'Allocate a TTY.'),
]);

const jsonTypes = ['application/json', 'application/yaml'] as const;

/** A JSON body of the named schema, in every content type we answer with. */
export function jsonContent(name: string): Schema {
  return Object.fromEntries(jsonTypes.map((type) => [type, { schema: bodyRef(name) }]));
}

export function requestBody(name: string): Schema {
  return { content: jsonContent(name), required: true };
}

export function patchBody(strategicMerge: boolean): Schema {
  const types = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json'];
  if (strategicMerge) types.push('application/strategic-merge-patch+json');
  return { content: Object.fromEntries(types.map((type) => [type, { schema: bodyRef(metaName('Patch')) }])), required: true };
}

export function responses(codes: Record<string, string>): Schema {
  const out: Schema = {};
  for (const [code, name] of Object.entries(codes)) out[code] = { description: code === '201' ? 'Created' : code === '202' ? 'Accepted' : 'OK', content: jsonContent(name) };
  out['401'] = { description: 'Unauthorized' };
  return out;
}

export function textResponse(contentType: string): Schema {
  return { '200': { description: 'OK', content: { [contentType]: { schema: { type: 'string' } } } }, '401': { description: 'Unauthorized' } };
}
