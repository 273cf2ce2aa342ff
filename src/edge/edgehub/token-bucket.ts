// Upstream rate limit: a token bucket, as KubeEdge's edgehub uses client-go's
// NewTokenBucketRateLimiter(messageQPS, messageBurst). KubeEdge blocks the sender until a token
// frees; we never block: callers get false (send) or wait in their queue (outbox, acks, requests).
// Pure: time is passed in.

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    /** Tokens added per second (messageQPS, default 30). */
    private readonly qps: number,
    /** Bucket size (messageBurst, default 60); the bucket starts full. */
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token if there is one. */
  tryTake(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until one token is available (0 when one is). */
  msUntilToken(now: number): number {
    this.refill(now);
    if (this.tokens >= 1) return 0;
    return Math.ceil(((1 - this.tokens) * 1000) / this.qps);
  }

  available(now: number): number {
    this.refill(now);
    return Math.floor(this.tokens);
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.last);
    this.last = Math.max(this.last, now);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.qps) / 1000);
  }
}
