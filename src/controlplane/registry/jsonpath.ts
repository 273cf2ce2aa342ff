// The JSONPath subset CRD printer columns, scale paths and selectable fields use: `.a.b`, `[0]`, `[*]`,
// `['key']`, escaped dots (`.metadata.labels.app\.kubernetes\.io/name`) and the common filter
// `[?(@.type=="Ready")]` with == or != against a string, number or boolean.

type Step =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: string[]; op: '==' | '!='; value: unknown };

export class JsonPathError extends Error {
  constructor(path: string, why: string) {
    super(`invalid JSONPath ${JSON.stringify(path)}: ${why}`);
    this.name = 'JsonPathError';
  }
}

function readName(path: string, start: number): { name: string; end: number } {
  let name = '';
  let i = start;
  while (i < path.length && path[i] !== '.' && path[i] !== '[') {
    if (path[i] === '\\' && i + 1 < path.length) i++;
    name += path[i];
    i++;
  }
  return { name, end: i };
}

function parseLiteral(text: string): unknown {
  const t = text.trim();
  if (/^'.*'$/.test(t)) return t.slice(1, -1);
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return t;
  }
}

function parseBracket(path: string, body: string): Step {
  const filter = /^\?\(@((?:\.[^.=!]+)+)\s*(==|!=)\s*(.+)\)$/.exec(body);
  if (filter) {
    const keys = (filter[1] ?? '').slice(1).split('.');
    return { kind: 'filter', path: keys, op: filter[2] === '!=' ? '!=' : '==', value: parseLiteral(filter[3] ?? '') };
  }
  if (body === '*') return { kind: 'all' };
  if (/^-?\d+$/.test(body)) return { kind: 'index', index: Number(body) };
  const quoted = /^(['"])(.*)\1$/.exec(body);
  if (quoted) return { kind: 'key', key: quoted[2] ?? '' };
  throw new JsonPathError(path, `unsupported selector [${body}]`);
}

export function parseJsonPath(path: string): Step[] {
  const trimmed = path.trim().replace(/^\{(.*)\}$/, '$1');
  const steps: Step[] = [];
  let i = trimmed.startsWith('$') ? 1 : 0;
  while (i < trimmed.length) {
    const ch = trimmed[i];
    if (ch === '.') {
      const { name, end } = readName(trimmed, i + 1);
      if (name === '*') steps.push({ kind: 'all' });
      else if (name !== '') steps.push({ kind: 'key', key: name });
      i = end;
    } else if (ch === '[') {
      const close = trimmed.indexOf(']', i);
      if (close < 0) throw new JsonPathError(path, 'unclosed [');
      steps.push(parseBracket(path, trimmed.slice(i + 1, close)));
      i = close + 1;
    } else {
      throw new JsonPathError(path, `unexpected ${JSON.stringify(ch)} at ${i}`);
    }
  }
  return steps;
}

function childValues(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null) return Object.values(value);
  return [];
}

function lookup(value: unknown, keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function apply(step: Step, value: unknown): unknown[] {
  switch (step.kind) {
    case 'key': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
      const v = (value as Record<string, unknown>)[step.key];
      return v === undefined ? [] : [v];
    }
    case 'index': {
      if (!Array.isArray(value)) return [];
      const v: unknown = value[step.index < 0 ? value.length + step.index : step.index];
      return v === undefined ? [] : [v];
    }
    case 'all':
      return childValues(value);
    case 'filter':
      return childValues(value).filter((item) => (lookup(item, step.path) === step.value) === (step.op === '=='));
  }
}

/** Every value the path selects, in document order; [] when nothing matches. */
export function evaluateJsonPath(obj: unknown, path: string): unknown[] {
  let values: unknown[] = [obj];
  for (const step of parseJsonPath(path)) values = values.flatMap((v) => apply(step, v));
  return values;
}

/** How `kubectl get -o custom-columns` style printing renders a selected value as text. */
export function jsonPathText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
