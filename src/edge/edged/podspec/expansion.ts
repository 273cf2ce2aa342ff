// $(VAR) expansion as kubelet does it (third_party/forked/golang/expansion): $(NAME) is replaced when
// NAME is known and kept verbatim otherwise, $$ escapes to $, any other $ is kept as is.
import type { KeyValue } from '../../runtime/types.js';
import type { PodContainer } from '../pod-contracts.js';

export type Mapping = (name: string) => string;

/** kubelet's expansion.MappingFuncFor: the first context holding the name wins. */
export function mappingFor(...contexts: ReadonlyMap<string, string>[]): Mapping {
  return (name) => {
    for (const vars of contexts) {
      const v = vars.get(name);
      if (v !== undefined) return v;
    }
    return `$(${name})`;
  };
}

export function expand(input: string, mapping: Mapping): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    if (rest[0] === '$') {
      out += '$';
      cursor += 1;
    } else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close > 0) {
        out += mapping(rest.slice(1, close));
        cursor += close + 1;
      } else {
        // Incomplete reference: kept, and the scan resumes after "$(".
        out += '$(';
        cursor += 1;
      }
    } else {
      out += `$${rest[0] ?? ''}`;
      cursor += 1;
    }
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

export function envMap(env: readonly KeyValue[]): Map<string, string> {
  return new Map(env.map((e) => [e.key, e.value] as const));
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** kubelet ExpandContainerCommandAndArgs: $(VAR) in command and args against the container's env. */
export function expandCommand(container: PodContainer, env: KeyValue[]): { command: string[]; args: string[] } {
  const mapping = mappingFor(envMap(env));
  return {
    command: strings(container['command']).map((s) => expand(s, mapping)),
    args: strings(container['args']).map((s) => expand(s, mapping)),
  };
}
