// The shared runtime conformance suite against the process runtime: image 'busybox' through the
// default catalog ({ "*": {} }), commands from the host's sh.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSilentLogger } from '../../../core/index.js';
import { runtimeConformance } from '../../../testing/runtime-conformance.js';
import { createProcessRuntime } from './index.js';

runtimeConformance('process', async () => {
  const stateDir = await mkdtemp(join(tmpdir(), 'process-runtime-'));
  const runtime = await createProcessRuntime({ stateDir, log: createSilentLogger() });
  return {
    runtime,
    image: 'busybox',
    cleanup: async () => {
      await runtime.stopAll(0);
      await runtime.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
});
