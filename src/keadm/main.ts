// keadm: joins and resets edge nodes, prints join tokens. Builds the real context and owns the exit.
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { createKubeClient } from '../cloud/kube/index.js';
import { runKeadm } from './cli.js';
import type { KeadmContext } from './context.js';

function confirmOnTerminal(): KeadmContext['confirm'] {
  if (!process.stdin.isTTY) return undefined;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await rl.question(question)).trim());
    } finally {
      rl.close();
    }
  };
}

export function defaultContext(): KeadmContext {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    kubeClient: (kubeconfigPath) => createKubeClient({ kubeconfigPath }),
    // dist/src/keadm/main.js → <checkout>/bin/edgecore
    edgecoreBin: fileURLToPath(new URL('../../../bin/edgecore', import.meta.url)),
    confirm: confirmOnTerminal(),
    now: Date.now,
    startupGraceMs: 1500,
    stopTimeoutMs: 10_000,
  };
}

export async function main(argv: string[]): Promise<void> {
  const code = await runKeadm(argv, defaultContext());
  // Let stdout drain (a pipe may be slow), then leave even if an HTTP agent still holds a socket.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}
