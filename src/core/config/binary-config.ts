// The first stage of every binary's main: flags → --help / --defaultconfig → defaults, file, flags →
// validated config. Pure apart from reading the --config file; the caller prints and exits.
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './errors.js';
import { formatHelp, parseFlags, type FlagSpecs, type FlagValues } from './flags.js';
import { loadConfig } from './load-config.js';

export interface BinaryConfigSpec<S extends FlagSpecs, T> {
  flags: S;
  schema: z.ZodType<T>;
  usage: string;
  description: string;
  /** Flag values in the config's own shape. */
  overrides: (values: FlagValues<S>) => Record<string, unknown>;
}

export type BinaryConfig<S extends FlagSpecs, T> =
  | { kind: 'run'; cfg: Readonly<T>; values: FlagValues<S> }
  /** Nothing to run: `text` goes to stdout and the process exits 0 (--help, --defaultconfig). */
  | { kind: 'print'; text: string };

/**
 * Throws FlagError or ConfigError (exit 2 material); a missing --config file is a ConfigError too.
 * The spec's flags must include `config` (string) and `defaultconfig` (boolean).
 */
export function loadBinaryConfig<S extends FlagSpecs, T>(argv: readonly string[], spec: BinaryConfigSpec<S, T>): BinaryConfig<S, T> {
  const parsed = parseFlags(argv, spec.flags);
  if (parsed.help) return { kind: 'print', text: formatHelp(spec.flags, { usage: spec.usage, description: spec.description }) };
  const values = parsed.values as Record<string, unknown>;
  if (values['defaultconfig'] === true) return { kind: 'print', text: stringify(spec.schema.parse({})) };
  const file = typeof values['config'] === 'string' ? values['config'] : undefined;
  let fileText: string | undefined;
  if (file !== undefined) {
    try {
      fileText = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError([{ path: '(root)', message: `cannot read ${file}: ${(err as Error).message}` }], { cause: err });
    }
  }
  const cfg = loadConfig(spec.schema, {
    defaults: {},
    ...(fileText === undefined ? {} : { fileText, fileName: file }),
    overrides: spec.overrides(parsed.values),
  });
  return { kind: 'run', cfg, values: parsed.values };
}
