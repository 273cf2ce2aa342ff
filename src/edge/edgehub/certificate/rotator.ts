// Certificate rotation (KubeEdge certmanager rotate): well before the cert expires, ask /edge.crt for a
// new one, authenticated by the current cert over mutual TLS instead of the token, replace the files,
// and tell edgehub to reconnect with it. KubeEdge rotates at a jittered 70–90 % of the lifetime so
// nodes joined together do not all renew together; we use 80 % ± 10 % by default, the same window.
import type { Logger } from '../../../core/index.js';
import { readCurrentCert, writeCertAndKey, type CertPaths, type CurrentCert } from './cert-files.js';
import { CertificateError } from './errors.js';
import { requestEdgeCert } from './request-cert.js';

export interface RotatorOptions extends CertPaths {
  httpServer: string;
  nodeName: string;
  log: Logger;
  /** Called after the files were replaced (edgehub reconnects with the new cert). */
  onRotated?: () => void | Promise<void>;
  now?: () => number;
  /** Fraction of the lifetime at which to renew (default 0.8). */
  rotateAt?: number;
  /** ± spread around rotateAt (default 0.1: 70–90 %, KubeEdge's window). */
  jitter?: number;
  random?: () => number;
  /** Longest single sleep, so clock jumps are noticed (default 1 h). */
  checkIntervalMs?: number;
  /** Retry backoff after a failed renewal: first and cap (default 2 s and 5 min). */
  retryMinMs?: number;
  retryMaxMs?: number;
  timeoutMs?: number;
}

type RotatorState = { kind: 'idle' } | { kind: 'waiting'; timer: NodeJS.Timeout } | { kind: 'rotating' } | { kind: 'stopped' };

export class CertificateRotator {
  private state: RotatorState = { kind: 'idle' };
  private readonly now: () => number;
  private readonly fraction: number;
  private failures = 0;

  constructor(private readonly opts: RotatorOptions) {
    this.now = opts.now ?? Date.now;
    const spread = opts.jitter ?? 0.1;
    const r = (opts.random ?? Math.random)();
    this.fraction = Math.min(0.99, Math.max(0.01, (opts.rotateAt ?? 0.8) + (r * 2 - 1) * spread));
  }

  /** When the current certificate should be renewed; undefined when there is no usable one. */
  async deadline(): Promise<Date | undefined> {
    const { current } = await readCurrentCert(this.opts, this.opts.nodeName, this.now());
    return current ? this.deadlineOf(current) : undefined;
  }

  private deadlineOf(c: CurrentCert): Date {
    const life = c.notAfter.getTime() - c.notBefore.getTime();
    return new Date(c.notBefore.getTime() + life * this.fraction);
  }

  /** Renews now with the current certificate; throws CertificateError on failure. */
  async rotateNow(): Promise<Date> {
    const read = await readCurrentCert(this.opts, this.opts.nodeName, this.now());
    if (!read.current) throw new CertificateError('io', `cannot rotate: ${read.reason}`);
    const { caPem, certPem, keyPem } = read.current;
    const issued = await requestEdgeCert({
      httpServer: new URL(this.opts.httpServer), nodeName: this.opts.nodeName, caPem, auth: { client: { certPem, keyPem } },
      timeoutMs: this.opts.timeoutMs,
    });
    await writeCertAndKey(this.opts, issued.certPem, issued.keyPem);
    const notAfter = new Date(issued.cert.validTo);
    this.opts.log.info('certificate rotated', { notAfter: notAfter.toISOString() });
    await this.opts.onRotated?.();
    return notAfter;
  }

  /** Renews if the deadline passed; true when it rotated. */
  async rotateIfDue(): Promise<boolean> {
    const due = await this.deadline();
    if (due === undefined || due.getTime() > this.now()) return false;
    await this.rotateNow();
    return true;
  }

  start(): void {
    if (this.state.kind !== 'idle') return;
    this.opts.log.info('starting', { rotateAtFraction: Number(this.fraction.toFixed(3)) });
    void this.plan();
  }

  stop(): void {
    if (this.state.kind === 'waiting') clearTimeout(this.state.timer);
    this.state = { kind: 'stopped' };
  }

  private async plan(): Promise<void> {
    if (this.state.kind === 'stopped') return;
    let delay: number;
    try {
      const due = await this.deadline();
      const cap = this.opts.checkIntervalMs ?? 3_600_000;
      delay = due === undefined ? cap : Math.min(Math.max(due.getTime() - this.now(), 0), cap);
    } catch (err) {
      this.opts.log.warn('certificate check failed', { error: (err as Error).message });
      delay = this.opts.checkIntervalMs ?? 3_600_000;
    }
    this.wait(delay, () => this.tick());
  }

  private wait(ms: number, fn: () => Promise<void>): void {
    if (this.state.kind === 'stopped') return;
    const timer = setTimeout(() => void fn(), ms);
    timer.unref();
    this.state = { kind: 'waiting', timer };
  }

  private async tick(): Promise<void> {
    if (this.state.kind === 'stopped') return;
    this.state = { kind: 'rotating' };
    try {
      await this.rotateIfDue();
      this.failures = 0;
      await this.plan();
    } catch (err) {
      this.failures++;
      const min = this.opts.retryMinMs ?? 2000;
      const delay = Math.min(min * 2 ** (this.failures - 1), this.opts.retryMaxMs ?? 300_000);
      this.opts.log.warn('certificate rotation failed', { error: (err as Error).message, retryInMs: delay });
      this.wait(delay, () => this.tick());
    }
  }
}
