// How edge failures travel to the cloud: a code the cloud turns into a Kubernetes Status.
import type { SessionError } from '../../core/tunnel/index.js';
import { ContainerNotFoundError } from '../edged/pod-contracts.js';
import { RuntimeError } from '../runtime/types.js';

export function sessionErrorOf(err: unknown): SessionError {
  if (err instanceof ContainerNotFoundError) return { code: 'NotFound', message: err.message };
  if (err instanceof RuntimeError) {
    if (err.code === 'NotFound') return { code: 'NotFound', message: err.message };
    if (err.code === 'FailedPrecondition' || err.code === 'InvalidArgument') return { code: 'BadRequest', message: err.message };
    if (err.code === 'Unavailable') return { code: 'Unavailable', message: err.message };
  }
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return { code: 'NotFound', message: `log file not found: ${e.path ?? ''}` };
  return { code: 'Internal', message: err instanceof Error ? err.message : String(err) };
}
