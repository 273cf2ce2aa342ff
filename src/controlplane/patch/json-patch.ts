// RFC 6902 JSON patch (application/json-patch+json). Operations apply in order to a copy of the document;
// the first failure stops the patch with a 422 naming the operation and path, as the API server answers
// for patches that do not apply (a malformed body, not a list, is a 400).
import { errors } from '../errors.js';
import { patchInvalid } from './patch-errors.js';
import { addValue, formatPointer, getValue, parsePointer, removeValue } from './json-pointer.js';
import type { Fail } from './json-pointer.js';
import { cloneJson, hasKey, isJsonObject, jsonEqual } from './json-value.js';
import type { JsonObject } from './json-value.js';

const operations = ['add', 'remove', 'replace', 'move', 'copy', 'test'] as const;
type OperationName = (typeof operations)[number];

interface Operation {
  op: OperationName;
  path: string[];
  from: string[];
  value: unknown;
}

export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw errors.badRequest('a json patch must be a JSON array of operations');
  let result = cloneJson(doc);
  ops.forEach((raw, index) => {
    const described = isJsonObject(raw) ? `${String(raw.op)} "${String(raw.path)}"` : '';
    const fail: Fail = (reason) => {
      throw patchInvalid(`json patch operation ${index} (${described}) failed: ${reason}`);
    };
    result = applyOperation(result, readOperation(raw, index, fail), fail);
  });
  return result;
}

function readOperation(raw: unknown, index: number, fail: Fail): Operation {
  if (!isJsonObject(raw)) throw patchInvalid(`json patch operation ${index} is not an object`);
  const op = raw.op;
  if (typeof op !== 'string' || !(operations as readonly string[]).includes(op)) {
    fail(`unknown operation ${JSON.stringify(op)}: expected one of ${operations.join(', ')}`);
  }
  const name = op as OperationName;
  if (typeof raw.path !== 'string') fail('"path" is missing or not a string');
  const needsValue = name === 'add' || name === 'replace' || name === 'test';
  if (needsValue && !hasKey(raw, 'value')) fail('"value" is missing');
  const needsFrom = name === 'move' || name === 'copy';
  if (needsFrom && typeof raw.from !== 'string') fail('"from" is missing or not a string');
  return {
    op: name,
    path: parsePointer(raw.path as string, fail),
    from: needsFrom ? parsePointer(raw.from as string, fail) : [],
    value: cloneJson((raw as JsonObject).value),
  };
}

function applyOperation(doc: unknown, op: Operation, fail: Fail): unknown {
  switch (op.op) {
    case 'add':
      return addValue(doc, op.path, op.value, fail);
    case 'remove':
      removeValue(doc, op.path, fail);
      return doc;
    case 'replace':
      getValue(doc, op.path, fail);
      if (op.path.length === 0) return op.value;
      removeValue(doc, op.path, fail);
      return addValue(doc, op.path, op.value, fail);
    case 'move': {
      if (op.path.length > op.from.length && op.from.every((t, i) => op.path[i] === t)) {
        fail(`cannot move "${formatPointer(op.from)}" into its own child "${formatPointer(op.path)}"`);
      }
      if (op.from.length === 0) return addValue(undefined, op.path, doc, fail);
      const moved = removeValue(doc, op.from, fail);
      return addValue(doc, op.path, moved, fail);
    }
    case 'copy':
      return addValue(doc, op.path, cloneJson(getValue(doc, op.from, fail)), fail);
    case 'test': {
      const actual = getValue(doc, op.path, fail);
      if (!jsonEqual(actual, op.value)) {
        fail(`test failed: the value at "${formatPointer(op.path)}" is ${JSON.stringify(actual)}, not ${JSON.stringify(op.value)}`);
      }
      return doc;
    }
  }
}
