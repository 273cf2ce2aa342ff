// A token bucket (golang.org/x/time/rate's Allow, which KubeEdge's DMI server uses): `perSecond`
// tokens refill continuously up to `burst`; each request takes one or is refused. Time is injected.
export class RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  allow(): boolean {
    const t = this.now();
    // A clock that steps back refills nothing rather than draining the bucket.
    const elapsedMs = Math.max(0, t - this.last);
    this.last = t;
    this.tokens = Math.min(this.burst, this.tokens + (elapsedMs * this.perSecond) / 1000);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
