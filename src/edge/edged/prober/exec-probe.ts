// exec probes through the runtime's ExecSync (kubelet: prober.newExecInContainer + probe/exec).
import { RuntimeError, type RuntimeService } from '../../runtime/types.js';
import type { ProbeResult } from '../pod-contracts.js';

/** kubelet keeps at most 10 KiB of a probe's output (probe/exec maxReadLength). */
export const MAX_PROBE_OUTPUT = 10 * 1024;

export interface ProbeOutcome { result: ProbeResult; message: string }

/** kubelet's timeout text (cri/remote: DeadlineExceeded becomes `command "..." timed out`). */
export function execTimedOut(command: string[]): ProbeOutcome {
  return { result: 'failure', message: `command ${JSON.stringify(command.join(' '))} timed out` };
}

export async function execProbe(runtime: RuntimeService, containerId: string, command: string[], timeoutSeconds: number): Promise<ProbeOutcome> {
  try {
    const r = await runtime.execSync(containerId, command, timeoutSeconds);
    // CombinedOutput: stdout then stderr, truncated like kubelet's LimitWriter.
    const output = Buffer.concat([r.stdout, r.stderr]).subarray(0, MAX_PROBE_OUTPUT).toString('utf8');
    if (r.exitCode === 0) return { result: 'success', message: output };
    return { result: 'failure', message: output !== '' ? output : `command exited with code ${r.exitCode}` };
  } catch (err) {
    if (err instanceof RuntimeError && err.code === 'DeadlineExceeded') return execTimedOut(command);
    // Not a verdict on the container (e.g. the runtime is down): kubelet discards such results.
    return { result: 'unknown', message: `exec probe errored: ${err instanceof Error ? err.message : String(err)}` };
  }
}
