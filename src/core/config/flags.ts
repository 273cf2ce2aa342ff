import { FlagError } from './errors.js';

// A small parser for the command lines of DESIGN.md §7: --name value, --name=value, bare booleans,
// "--" to end flags, --help / -h. Flag names are kept as written (kebab-case, like KubeEdge's).

export type FlagType = 'string' | 'number' | 'boolean';

export interface FlagSpec {
  type: FlagType;
  description: string;
  /** Shown in --help only; defaults themselves live in the config defaults. */
  default?: string | number | boolean;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export type FlagValue<T extends FlagType> = T extends 'string' ? string : T extends 'number' ? number : boolean;

/** Only the flags given on the command line are present. */
export type FlagValues<S extends FlagSpecs> = { -readonly [K in keyof S]?: FlagValue<S[K]['type']> };

export interface ParsedFlags<S extends FlagSpecs> {
  values: FlagValues<S>;
  /** Arguments that are not flags (e.g. keadm's subcommand), and everything after "--". */
  positionals: string[];
  /** True when --help or -h was given; the caller prints formatHelp() and exits 0. */
  help: boolean;
}

export function parseFlags<S extends FlagSpecs>(argv: readonly string[], spec: S): ParsedFlags<S> {
  const values: Record<string, string | number | boolean> = {};
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq === -1 ? undefined : eq) : '';
    const flag = name === '' ? undefined : spec[name];
    if (flag === undefined) throw new FlagError(`unknown flag ${eq === -1 ? arg : arg.slice(0, eq)}`, name || arg);
    let raw: string | undefined = eq === -1 ? undefined : arg.slice(eq + 1);
    if (raw === undefined && flag.type !== 'boolean') {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new FlagError(`flag --${name} needs a value`, name);
      raw = next;
      i++;
    }
    values[name] = convert(name, flag.type, raw);
  }
  return { values: values as FlagValues<S>, positionals, help };
}

function convert(name: string, type: FlagType, raw: string | undefined): string | number | boolean {
  if (type === 'boolean') {
    if (raw === undefined || raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    throw new FlagError(`flag --${name} takes true or false, not "${raw}"`, name);
  }
  if (raw === undefined) throw new FlagError(`flag --${name} needs a value`, name);
  if (type === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) throw new FlagError(`flag --${name} needs a number, not "${raw}"`, name);
    return n;
  }
  return raw;
}

/** Help text: usage, optional description, then one aligned line per flag. */
export function formatHelp(spec: FlagSpecs, opts: { usage: string; description?: string }): string {
  const rows = Object.entries(spec).map(([name, f]) => {
    const left = f.type === 'boolean' ? `--${name}` : `--${name} ${f.type}`;
    const dflt = f.default === undefined ? '' : ` (default ${JSON.stringify(f.default)})`;
    return [left, f.description + dflt] as const;
  });
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([l]) => l.length));
  const lines = [`Usage: ${opts.usage}`, ''];
  if (opts.description) lines.push(opts.description, '');
  lines.push('Flags:', ...rows.map(([l, r]) => `  ${l.padEnd(width)}   ${r}`));
  return lines.join('\n') + '\n';
}
