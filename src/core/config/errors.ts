export interface ConfigIssue {
  /** Dotted field path, with [n] for array items (e.g. "modules.cloudHub.nodeLimit"); "(root)" for the whole. */
  path: string;
  message: string;
}

/** Invalid configuration: YAML that does not parse, or fields that fail the schema. Lists every issue. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];
  /** File name (or other source label) the config came from, if known. */
  readonly source: string | undefined;

  constructor(issues: readonly ConfigIssue[], opts: { source?: string; cause?: unknown } = {}) {
    const where = opts.source === undefined ? '' : ` in ${opts.source}`;
    const lines = issues.map((i) => `  ${i.path}: ${i.message}`);
    super(`invalid configuration${where}:\n${lines.join('\n')}`, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.issues = issues;
    this.source = opts.source;
  }
}

/** Bad command line: unknown flag, missing or malformed value. */
export class FlagError extends Error {
  override readonly name = 'FlagError';
  constructor(
    message: string,
    readonly flag: string,
  ) {
    super(message);
  }
}
