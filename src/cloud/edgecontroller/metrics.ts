// Counters of edgecontroller, read by cloudcore's /metrics. Plain numbers: one process, one owner.

export class EdgeControllerCounters {
  downstreamSent = 0;
  downstreamSkippedAcked = 0;
  upstream = 0;
  upstreamFailed = 0;
  denied = 0;
  unknown = 0;
}
