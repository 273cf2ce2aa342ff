// Label selector requirements: construction with Kubernetes' validation, matching and canonical text.
import { invalidValue, labelKeyErrors, labelValueErrors } from './label-validation.js';

export type LabelOperator = 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

const integer = /^[+-]?[0-9]+$/;

/** Validates a requirement; returns the error text (Kubernetes' aggregate form) or undefined.
 *  `keyField` is how the key is named in the message ('<nil>' from the string parser, 'key' otherwise). */
export function requirementError(req: LabelRequirement, keyField: string): string | undefined {
  const errs: string[] = [];
  const keyErrs = labelKeyErrors(req.key);
  if (keyErrs.length > 0) errs.push(invalidValue(keyField, req.key, keyErrs));
  const count = req.values.length;
  const values = `[]string{${req.values.map((v) => JSON.stringify(v)).join(', ')}}`;
  if ((req.operator === 'in' || req.operator === 'notin') && count === 0) {
    errs.push(`values: Invalid value: ${values}: for 'in', 'notin' operators, values set can't be empty`);
  } else if ((req.operator === '=' || req.operator === '==' || req.operator === '!=') && count !== 1) {
    errs.push(`values: Invalid value: ${values}: exact-match compatibility requires one single value`);
  } else if ((req.operator === 'exists' || req.operator === '!') && count !== 0) {
    errs.push(`values: Invalid value: ${values}: values set must be empty for exists and does not exist`);
  } else if (req.operator === 'gt' || req.operator === 'lt') {
    if (count !== 1) errs.push(`values: Invalid value: ${values}: for 'Gt', 'Lt' operators, exactly one value is required`);
    req.values.forEach((v, i) => {
      if (!integer.test(v)) errs.push(invalidValue(`values[${i}]`, v, ["for 'Gt', 'Lt' operators, the value must be an integer"]));
    });
  }
  req.values.forEach((v, i) => {
    const valueErrs = labelValueErrors(v);
    if (valueErrs.length > 0) errs.push(invalidValue(`values[${i}][${req.key}]`, v, valueErrs));
  });
  if (errs.length === 0) return undefined;
  return errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
}

export function requirementMatches(req: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = has ? labels[req.key] : undefined;
  switch (req.operator) {
    case 'in': case '=': case '==':
      return value !== undefined && req.values.includes(value);
    case 'notin': case '!=':
      return value === undefined || !req.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt': case 'lt': {
      const bound = req.values[0];
      if (value === undefined || bound === undefined || !integer.test(value) || !integer.test(bound)) return false;
      return req.operator === 'gt' ? Number(value) > Number(bound) : Number(value) < Number(bound);
    }
  }
}

const symbols: Record<LabelOperator, string> = {
  'in': ' in ', 'notin': ' notin ', 'exists': '', '!': '', '=': '=', '==': '==', '!=': '!=', 'gt': '>', 'lt': '<',
};

export function formatRequirement(req: LabelRequirement): string {
  const head = `${req.operator === '!' ? '!' : ''}${req.key}${symbols[req.operator]}`;
  if (req.operator === 'exists' || req.operator === '!') return head;
  const values = [...req.values].sort().join(',');
  return req.operator === 'in' || req.operator === 'notin' ? `${head}(${values})` : `${head}${values}`;
}

/** Requirements in key order (stable), as Kubernetes keeps a selector. */
export function sortByKey(reqs: readonly LabelRequirement[]): LabelRequirement[] {
  return [...reqs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
