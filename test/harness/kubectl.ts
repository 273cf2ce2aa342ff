// Runs the real /usr/bin/kubectl (a dispatcher that picks kubectl 1.27–1.33 from the server's /version).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';

// kubectl caches discovery under ~/.kube/cache keyed by host:port; tests reuse ports across runs, so
// each kubeconfig gets its own cache beside it.
const cacheArgs = (kubeconfig: string): string[] => ['--cache-dir', join(dirname(kubeconfig), '.kubectl-cache')];

export interface KubectlResult { code: number; stdout: string; stderr: string }

export interface KubectlOptions { input?: string; timeoutMs?: number; env?: Record<string, string> }

export function kubectl(kubeconfig: string, args: string[], options: KubectlOptions = {}): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', kubeconfig, ...cacheArgs(kubeconfig), ...args], {
      env: { ...process.env, ...options.env, KUBECONFIG: kubeconfig },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** kubectl that must succeed; the error message carries stderr so a failing test says why. */
export async function kubectlOk(kubeconfig: string, args: string[], options: KubectlOptions = {}): Promise<string> {
  const r = await kubectl(kubeconfig, args, options);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Starts a long-running kubectl (get -w, logs -f) and collects its output until stopped. */
export function kubectlStream(kubeconfig: string, args: string[]): { output: () => string; stop: () => Promise<number> } {
  const child = spawn('kubectl', ['--kubeconfig', kubeconfig, ...cacheArgs(kubeconfig), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { out += d; });
  const closed = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 0)));
  return {
    output: () => out,
    stop: async () => { child.kill('SIGTERM'); return closed; },
  };
}
