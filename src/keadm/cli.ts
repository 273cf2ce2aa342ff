// keadm's dispatcher: picks the subcommand, and turns errors into a message and an exit code once
// (2: usage, 1: failure). No process.exit here; main.ts owns the process.
import { FlagError } from '../core/index.js';
import type { KeadmContext } from './context.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, KeadmError, UsageError } from './errors.js';
import { gettoken } from './gettoken.js';
import { join } from './join.js';
import { reset } from './reset.js';

const COMMANDS: Record<string, (argv: readonly string[], ctx: KeadmContext) => Promise<number | void>> = {
  gettoken,
  join,
  reset,
};

export const KEADM_USAGE =
  'Usage: keadm <command> [flags]\n\n' +
  'Commands:\n' +
  '  gettoken   print the token edge nodes join with (--once: a one-time token)\n' +
  '  join       join this machine to a cloudcore as an edge node and start edgecore\n' +
  '  reset      stop edgecore and remove this node\'s state\n\n' +
  'Run `keadm <command> --help` for its flags.\n';

export async function runKeadm(argv: readonly string[], ctx: KeadmContext): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    (cmd === undefined ? ctx.stderr : ctx.stdout)(KEADM_USAGE);
    return cmd === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const run = COMMANDS[cmd];
  if (!run) {
    ctx.stderr(`keadm: unknown command "${cmd}"\n\n${KEADM_USAGE}`);
    return EXIT_USAGE;
  }
  try {
    const code = await run(rest, ctx);
    return typeof code === 'number' ? code : EXIT_OK;
  } catch (err) {
    if (err instanceof UsageError || err instanceof FlagError) {
      ctx.stderr(`keadm ${cmd}: ${err.message}\nRun \`keadm ${cmd} --help\` for usage.\n`);
      return EXIT_USAGE;
    }
    if (err instanceof KeadmError) {
      ctx.stderr(`keadm ${cmd}: ${err.message}\n`);
      return EXIT_FAILURE;
    }
    const msg = err instanceof Error ? err.message : String(err);
    ctx.stderr(`keadm ${cmd}: unexpected error: ${msg}\n`);
    return EXIT_FAILURE;
  }
}
