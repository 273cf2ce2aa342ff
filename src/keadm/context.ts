// Everything a keadm command touches outside its arguments, passed in so tests run commands in-process.
import type { KubeClient } from '../cloud/kube/index.js';

export interface KeadmContext {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Builds the API client for gettoken; default createKubeClient. */
  kubeClient(kubeconfigPath: string): KubeClient;
  /** The edgecore launcher script (default bin/edgecore of this checkout). */
  edgecoreBin: string;
  /** Asks yes/no on a terminal; undefined when there is no terminal (then no question is asked). */
  confirm?: (question: string) => Promise<boolean>;
  now(): number;
  /** How long `join` watches a detached edgecore before declaring it started (ms). */
  startupGraceMs: number;
  /** How long `reset` waits after SIGTERM before SIGKILL (ms; KubeEdge-TS: 10 s). */
  stopTimeoutMs: number;
}
