// Keepalive and silence detection for one connection.
// KubeEdge's edgehub sends its keepalive message right after connecting and then every heartbeat
// (15 s); cloudhub drops a node silent for longer than its keepalive interval. KubeEdge's edge,
// though, never notices a dead or half-open link itself: it waits for a TCP error, 10–20 minutes
// (kubeedge#4650). We also send a WebSocket ping each heartbeat (cloudhub, gorilla or ws, answers
// with a pong) and declare the link dead when no frame at all arrived for silenceTimeoutMs.
import type { TimerHandle, Timers } from './options.js';

export interface KeepalivePort {
  /** Sends the keepalive message and a ping frame; errors are the port's to handle. */
  beat(): void;
  /** No frame for `idleMs`: the link is dead. Called at most once. */
  onSilence(idleMs: number): void;
}

export class Keepalive {
  private lastFrameAt: number;
  private beatTimer: TimerHandle | undefined;
  private silenceTimer: TimerHandle | undefined;
  private running = false;

  constructor(
    private readonly port: KeepalivePort,
    private readonly opts: { heartbeatMs: number; silenceTimeoutMs: number; now: () => number; timers: Timers },
  ) {
    this.lastFrameAt = opts.now();
  }

  start(): void {
    this.running = true;
    this.lastFrameAt = this.opts.now();
    this.beat();
    this.armSilence(this.opts.silenceTimeoutMs);
  }

  /** Any frame from the cloud (message, ping, pong) proves the link alive. Cheap: no timer work. */
  frameReceived(): void {
    this.lastFrameAt = this.opts.now();
  }

  stop(): void {
    this.running = false;
    if (this.beatTimer !== undefined) this.opts.timers.clearTimeout(this.beatTimer);
    if (this.silenceTimer !== undefined) this.opts.timers.clearTimeout(this.silenceTimer);
    this.beatTimer = undefined;
    this.silenceTimer = undefined;
  }

  private beat(): void {
    if (!this.running) return;
    this.port.beat();
    this.beatTimer = this.opts.timers.setTimeout(() => this.beat(), this.opts.heartbeatMs);
  }

  /** One timer per silence period, re-armed for the remainder instead of on every frame. */
  private armSilence(inMs: number): void {
    this.silenceTimer = this.opts.timers.setTimeout(() => this.checkSilence(), inMs);
  }

  private checkSilence(): void {
    if (!this.running) return;
    const idle = this.opts.now() - this.lastFrameAt;
    if (idle >= this.opts.silenceTimeoutMs) {
      this.stop();
      this.port.onSilence(idle);
      return;
    }
    this.armSilence(this.opts.silenceTimeoutMs - idle);
  }
}
