// Parsing label selectors from their string form (?labelSelector=) and from metav1.LabelSelector, with
// Kubernetes' grammar and messages:
//   selector    := requirement ("," requirement)*
//   requirement := ["!"] KEY [ ("in" | "notin") "(" VALUES ")" | ("=" | "==" | "!=" | ">" | "<") VALUE ]
import { errors } from '../errors.js';
import { tokenize } from './label-lexer.js';
import type { Token } from './label-lexer.js';
import { formatRequirement, requirementError, requirementMatches, sortByKey } from './label-requirement.js';
import type { LabelOperator, LabelRequirement } from './label-requirement.js';
import { invalidValue, labelKeyErrors } from './label-validation.js';

/** Thrown inside the parser and turned into a 400 at the edge. */
class SelectorSyntaxError extends Error {}

interface Cursor { tokens: Token[]; pos: number }

/** In value position the keywords in/notin are ordinary identifiers. */
function peek(c: Cursor, asValue = true): Token {
  const token = c.tokens[Math.min(c.pos, c.tokens.length - 1)] as Token;
  return asValue && (token.kind === 'in' || token.kind === 'notin') ? { kind: 'identifier', text: token.text } : token;
}

function next(c: Cursor, asValue = true): Token {
  const token = peek(c, asValue);
  c.pos++;
  return token;
}

const fail = (message: string): never => {
  throw new SelectorSyntaxError(message);
};

/** Parses `?labelSelector=` text; '' selects everything. Throws 400 BadRequest with Kubernetes' message. */
export function parseLabelSelector(text: string): LabelRequirement[] {
  try {
    return sortByKey(parseSelector({ tokens: tokenize(text), pos: 0 }));
  } catch (e) {
    if (e instanceof SelectorSyntaxError) throw errors.badRequest(e.message);
    throw e;
  }
}

function parseSelector(c: Cursor): LabelRequirement[] {
  const reqs: LabelRequirement[] = [];
  for (;;) {
    const token = peek(c);
    if (token.kind === 'end') return reqs;
    if (token.kind !== 'identifier' && token.kind !== '!') fail(`found '${token.text}', expected: !, identifier, or 'end of string'`);
    try {
      reqs.push(parseRequirement(c));
    } catch (e) {
      if (e instanceof SelectorSyntaxError) fail(`unable to parse requirement: ${e.message}`);
      throw e;
    }
    const after = next(c);
    if (after.kind === 'end') return reqs;
    if (after.kind !== ',') fail(`found '${after.text}', expected: ',' or 'end of string'`);
    const following = peek(c);
    if (following.kind !== 'identifier' && following.kind !== '!') fail(`found '${following.text}', expected: identifier after ','`);
  }
}

function parseRequirement(c: Cursor): LabelRequirement {
  let token = next(c);
  const negated = token.kind === '!';
  if (negated) token = next(c);
  if (token.kind !== 'identifier') fail(`found '${token.text}', expected: identifier`);
  const key = token.text;
  const keyErrs = labelKeyErrors(key);
  if (keyErrs.length > 0) fail(invalidValue('<nil>', key, keyErrs));
  const ahead = peek(c).kind;
  let req: LabelRequirement;
  if (negated || ahead === 'end' || ahead === ',') {
    req = { key, operator: negated ? '!' : 'exists', values: [] };
  } else {
    const operator = parseOperator(c);
    const values = operator === 'in' || operator === 'notin' ? parseValueSet(c) : parseExactValue(c);
    req = { key, operator, values: [...new Set(values)].sort() };
  }
  const problem = requirementError(req, '<nil>');
  if (problem !== undefined) fail(problem);
  return req;
}

function parseOperator(c: Cursor): LabelOperator {
  const token = next(c, false);
  const operators: Partial<Record<Token['kind'], LabelOperator>> = {
    'in': 'in', 'notin': 'notin', '=': '=', '==': '==', '!=': '!=', '>': 'gt', '<': 'lt',
  };
  return operators[token.kind] ?? fail(`found '${token.text}', expected: in, notin, =, ==, !=, gt, lt`);
}

function parseValueSet(c: Cursor): string[] {
  const open = next(c);
  if (open.kind !== '(') fail(`found '${open.text}' expected: '('`);
  const first = peek(c);
  if (first.kind === ')') {
    next(c);
    return [''];
  }
  if (first.kind !== 'identifier' && first.kind !== ',') fail(`found '${first.text}', expected: ',', ')' or identifier`);
  const values = parseIdentifiers(c);
  const close = next(c);
  if (close.kind !== ')') fail(`found '${close.text}', expected: ')'`);
  return values;
}

/** Comma-separated, possibly empty identifiers up to (not including) ')'. Empty slots are ''. */
function parseIdentifiers(c: Cursor): string[] {
  const values: string[] = [];
  for (;;) {
    const token = next(c);
    if (token.kind === 'identifier') {
      values.push(token.text);
      const after = peek(c);
      if (after.kind === ')') return values;
      if (after.kind !== ',') fail(`found '${after.text}', expected: ',' or ')'`);
    } else if (token.kind === ',') {
      if (values.length === 0) values.push('');
      const after = peek(c);
      if (after.kind === ')') return [...values, ''];
      if (after.kind === ',') values.push('');
    } else {
      fail(`found '${token.text}', expected: ',', or identifier`);
    }
  }
}

function parseExactValue(c: Cursor): string[] {
  const ahead = peek(c);
  if (ahead.kind === 'end' || ahead.kind === ',') return [''];
  const token = next(c);
  return token.kind === 'identifier' ? [token.text] : fail(`found '${token.text}', expected: identifier`);
}

export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const specOperators: Record<string, LabelOperator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * metav1.LabelSelector → requirements, like LabelSelectorAsSelector: undefined/null selects nothing and is
 * returned as null (matchLabels(null, …) is false); an empty selector selects everything ([]).
 * Invalid selectors throw 400 BadRequest.
 */
export function labelSelectorFromSpec(sel: LabelSelectorSpec | null | undefined): LabelRequirement[] | null {
  if (sel === undefined || sel === null) return null;
  const reqs: LabelRequirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, value]) => ({ key, operator: '=', values: [value] }));
  for (const expr of sel.matchExpressions ?? []) {
    const operator = specOperators[expr.operator];
    if (operator === undefined) throw errors.badRequest(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    reqs.push({ key: expr.key, operator, values: [...(expr.values ?? [])] });
  }
  for (const req of reqs) {
    const problem = requirementError(req, 'key');
    if (problem !== undefined) throw errors.badRequest(problem);
  }
  return sortByKey(reqs);
}

/** All requirements must hold. null (a nil selector) matches nothing; [] matches everything. */
export function matchLabels(reqs: readonly LabelRequirement[] | null, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (reqs === null) return false;
  return reqs.every((req) => requirementMatches(req, labels ?? {}));
}

/** Canonical text, e.g. for Scale status.selector: requirements by key, set values sorted. */
export function formatLabelSelector(reqs: readonly LabelRequirement[]): string {
  return sortByKey(reqs).map(formatRequirement).join(',');
}
