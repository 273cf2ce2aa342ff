// One cloudcore per test suite: started before the suite's tests, disposed after them.
import { after, before } from 'node:test';
import { startCloudcore, type CloudcoreProcess, type StartOptions } from './cloudcore.js';
import { kubectlOk } from './kubectl.js';

export interface CloudcoreSuite {
  readonly cc: CloudcoreProcess;
  /** kubectl that must succeed, with optional stdin. */
  k(args: string[], input?: string): Promise<string>;
}

export function cloudcoreSuite(options: StartOptions = {}): CloudcoreSuite {
  let started: CloudcoreProcess | undefined;
  before(async () => { started = await startCloudcore(options); });
  after(async () => { await started?.dispose(); });
  const cc = (): CloudcoreProcess => {
    if (!started) throw new Error('cloudcore is not started (use the suite inside describe())');
    return started;
  };
  return {
    get cc() { return cc(); },
    k: (args, input) => kubectlOk(cc().kubeconfig, args, { timeoutMs: 120_000, ...(input === undefined ? {} : { input }) }),
  };
}
