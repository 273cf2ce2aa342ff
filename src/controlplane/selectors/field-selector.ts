// Field selectors (?fieldSelector=spec.nodeName=n1,status.phase!=Running): comma-separated terms
// `field=value`, `field==value` or `field!=value`. In values, `\,` `\=` and `\\` escape the special
// characters; unescaped `,` splits terms and unescaped `=` is an error. Messages are Kubernetes'.
import { errors } from '../errors.js';

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** Splits on commas not preceded by a backslash escape; escapes stay in the terms. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (escaped) escaped = false;
    else if (ch === '\\') escaped = true;
    else if (ch === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/** The first operator in the term splits it; the field part has no escaping. */
function splitTerm(term: string): { field: string; operator: '!=' | '==' | '='; rest: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const operator of ['!=', '==', '='] as const) {
      if (term.startsWith(operator, i)) return { field: term.slice(0, i), operator, rest: term.slice(i + operator.length) };
    }
  }
  return undefined;
}

function unescapeValue(raw: string): string {
  let out = '';
  let escaped = false;
  for (const ch of raw) {
    if (escaped) {
      if (ch !== '\\' && ch !== ',' && ch !== '=') throw errors.badRequest(`invalid field selector: invalid escape sequence: \\${ch}`);
      out += ch;
      escaped = false;
    } else if (ch === '\\') {
      escaped = true;
    } else if (ch === ',' || ch === '=') {
      // Kubernetes prints the rune's number here.
      throw errors.badRequest(`invalid field selector: unescaped character in value: ${ch.codePointAt(0)}`);
    } else {
      out += ch;
    }
  }
  if (escaped) throw errors.badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Parses a field selector; '' selects everything. Terms come back sorted, as Kubernetes keeps them. */
export function parseFieldSelector(text: string): FieldRequirement[] {
  if (text === '') return [];
  const reqs: FieldRequirement[] = [];
  for (const term of splitTerms(text).sort()) {
    if (term === '') continue;
    const parts = splitTerm(term);
    if (!parts) throw errors.badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    reqs.push({ field: parts.field, operator: parts.operator === '!=' ? '!=' : '=', value: unescapeValue(parts.rest) });
  }
  return reqs;
}

/** Escapes a value for use in a field selector. */
export function escapeFieldValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/=/g, '\\=');
}
