// metav1.LabelSelector helpers the registry needs: the printed form kubectl shows in SELECTOR columns and
// in Scale.status.selector, matching against template labels, and structural validation.
import type { StatusCause } from '../../api/index.js';
import { fieldErrors } from './field-errors.js';
import { validateLabels } from './object-meta.js';
import { isQualifiedName, isLabelValue } from './name-rules.js';
import { asArray, asString, asStringMap, isRecord } from './object-access.js';

interface Requirement { key: string; operator: string; values: string[] }

const operators = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

function requirements(selector: unknown): Requirement[] {
  if (!isRecord(selector)) return [];
  const out: Requirement[] = Object.entries(asStringMap(selector.matchLabels))
    .map(([key, value]) => ({ key, operator: '=', values: [value] }));
  for (const raw of asArray(selector.matchExpressions)) {
    if (!isRecord(raw)) continue;
    out.push({ key: asString(raw.key), operator: asString(raw.operator), values: asArray(raw.values).map(asString) });
  }
  // Kubernetes sorts requirements by key when it builds a selector, so the text form is stable.
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function requirementText(r: Requirement): string {
  const values = [...new Set(r.values)].sort().join(',');
  switch (r.operator) {
    case '=': return `${r.key}=${r.values[0] ?? ''}`;
    case 'In': return `${r.key} in (${values})`;
    case 'NotIn': return `${r.key} notin (${values})`;
    case 'Exists': return r.key;
    case 'DoesNotExist': return `!${r.key}`;
    default: return `${r.key} ${r.operator} (${values})`;
  }
}

/** The selector as text ("app=web,tier in (a,b)"); '' when it selects everything. */
export function labelSelectorString(selector: unknown): string {
  return requirements(selector).map(requirementText).join(',');
}

/** FormatLabelSelector: like labelSelectorString but "<none>" for a missing or empty selector. */
export function formatLabelSelector(selector: unknown): string {
  const text = labelSelectorString(selector);
  return text === '' ? '<none>' : text;
}

/** FormatLabels: "k=v,k2=v2" sorted by key, "<none>" when empty (service selectors, node selectors). */
export function formatLabels(labels: unknown): string {
  const entries = Object.entries(asStringMap(labels)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

export function isEmptySelector(selector: unknown): boolean {
  return requirements(selector).length === 0;
}

export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  return requirements(selector).every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const value = labels[r.key];
    switch (r.operator) {
      case '=': return has && value === r.values[0];
      case 'In': return has && r.values.includes(value ?? '');
      case 'NotIn': return !has || !r.values.includes(value ?? '');
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}

/** Structural checks of a LabelSelector (ValidateLabelSelector). */
export function validateLabelSelector(selector: unknown, field: string): StatusCause[] {
  if (!isRecord(selector)) return [];
  const causes = validateLabels(selector.matchLabels, `${field}.matchLabels`);
  asArray(selector.matchExpressions).forEach((raw, i) => {
    const base = `${field}.matchExpressions[${i}]`;
    const expr = isRecord(raw) ? raw : {};
    const operator = asString(expr.operator);
    const values = asArray(expr.values);
    if (!(operators as readonly string[]).includes(operator)) {
      causes.push(fieldErrors.invalid(`${base}.operator`, operator, 'not a valid selector operator'));
    } else if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
      causes.push(fieldErrors.required(`${base}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
      causes.push(fieldErrors.forbidden(`${base}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    }
    const key = asString(expr.key);
    for (const m of isQualifiedName(key)) causes.push(fieldErrors.invalid(`${base}.key`, key, m));
    values.forEach((v, j) => {
      for (const m of isLabelValue(asString(v))) causes.push(fieldErrors.invalid(`${base}.values[${j}]`, v, m));
    });
  });
  return causes;
}
