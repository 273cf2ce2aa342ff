// StatusCause builders in the shape kube-apiserver uses for 422 answers: `reason` is the field error type
// (FieldValueInvalid, ...) and `message` the error body ("Invalid value: \"x\": detail"), so that
// errors.invalid() renders "<field>: <message>" exactly as kubectl users know it.
import type { StatusCause } from '../../api/index.js';

/** Renders a bad value the way Kubernetes quotes it: strings quoted, numbers bare, structures as JSON. */
export function renderValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export const fieldErrors = {
  required: (field: string, detail = ''): StatusCause =>
    ({ reason: 'FieldValueRequired', field, message: detail ? `Required value: ${detail}` : 'Required value' }),
  invalid: (field: string, value: unknown, detail: string): StatusCause =>
    ({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${renderValue(value)}${detail ? `: ${detail}` : ''}` }),
  duplicate: (field: string, value: unknown): StatusCause =>
    ({ reason: 'FieldValueDuplicate', field, message: `Duplicate value: ${renderValue(value)}` }),
  notFound: (field: string, value: unknown): StatusCause =>
    ({ reason: 'FieldValueNotFound', field, message: `Not found: ${renderValue(value)}` }),
  notSupported: (field: string, value: unknown, supported: readonly string[]): StatusCause => ({
    reason: 'FieldValueNotSupported', field,
    message: `Unsupported value: ${renderValue(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
  }),
  forbidden: (field: string, detail: string): StatusCause =>
    ({ reason: 'FieldValueForbidden', field, message: `Forbidden: ${detail}` }),
  tooLong: (field: string, maxBytes: number): StatusCause =>
    ({ reason: 'FieldValueTooLong', field, message: `Too long: may not be more than ${maxBytes} bytes` }),
} as const;

/** Field path helpers matching Kubernetes' field.Path rendering: `a.b[0].c`, map keys as `data[key]`. */
export const fieldPath = {
  child: (base: string, ...names: string[]): string => [base, ...names].filter((s) => s !== '').join('.'),
  index: (base: string, i: number): string => `${base}[${i}]`,
  key: (base: string, key: string): string => `${base}[${key}]`,
} as const;
