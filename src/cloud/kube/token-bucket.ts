// Client-side rate limit for requests to the API server, as client-go's token bucket (cloudcore's
// kubeAPIConfig qps/burst; KubeEdge defaults 100 and 200). Pure apart from the injected clock and
// sleep, so tests drive it without waiting.

export interface TokenBucketOptions {
  /** Tokens added per second; <= 0 disables the limit. */
  qps: number;
  /** Bucket size: requests allowed at once after a quiet period. */
  burst: number;
  /** Milliseconds, monotonic. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  /** Time at which the last reserved token becomes available; reservations queue behind it. */
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: TokenBucketOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.tokens = Math.max(1, opts.burst);
    this.last = this.now();
  }

  /** Milliseconds the caller must wait for its token (0 = go now). Reserves the token. */
  reserve(): number {
    if (this.opts.qps <= 0) return 0;
    const t = this.now();
    const cap = Math.max(1, this.opts.burst);
    this.tokens = Math.min(cap, this.tokens + ((t - this.last) / 1000) * this.opts.qps);
    this.last = t;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.opts.qps) * 1000;
  }

  async acquire(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await this.sleep(wait);
  }
}
