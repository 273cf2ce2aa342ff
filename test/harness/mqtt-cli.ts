// Device apps for end-to-end tests: Debian's mosquitto_pub and mosquitto_sub against the edge's broker
// (mosquitto for the external mode, edgecore's embedded broker for the internal one).
import { spawn, type ChildProcess } from 'node:child_process';

export interface BrokerAddress {
  port: number;
  username?: string;
  password?: string;
}

function authArgs(b: BrokerAddress): string[] {
  return [...(b.username ? ['-u', b.username] : []), ...(b.password ? ['-P', b.password] : [])];
}

/** Publishes one message (qos 1) and resolves when mosquitto_pub exits 0. */
export function mqttPublish(b: BrokerAddress, topic: string, payload: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(b.port), ...authArgs(b), '-q', '1', '-t', topic, '-m', payload],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    proc.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    proc.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`mosquitto_pub ${topic} exited ${code}: ${err}`))));
  });
}

export interface Subscription {
  /** Payloads received so far, in order. */
  messages(): { topic: string; payload: string }[];
  /** Waits until a message matches, or rejects after timeoutMs. */
  waitFor(match: (m: { topic: string; payload: string }) => boolean, what: string, timeoutMs?: number): Promise<{ topic: string; payload: string }>;
  stop(): void;
}

/**
 * A long-running mosquitto_sub printing "topic payload" lines (-v). Resolves once it is subscribed:
 * mosquitto_sub says nothing then, so we publish a probe on a private topic and wait to see it.
 */
export async function mqttSubscribe(b: BrokerAddress, topics: string[]): Promise<Subscription> {
  const probe = `kets/probe/${process.pid}/${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const proc: ChildProcess = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(b.port), ...authArgs(b), '-q', '1', '-v',
    ...[...topics, probe].flatMap((t) => ['-t', t])], { stdio: ['ignore', 'pipe', 'pipe'] });
  const got: { topic: string; payload: string }[] = [];
  let buf = '';
  let stderr = '';
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  proc.stdout?.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const sp = line.indexOf(' ');
      got.push(sp < 0 ? { topic: line, payload: '' } : { topic: line.slice(0, sp), payload: line.slice(sp + 1) });
    }
  });
  const sub: Subscription = {
    messages: () => got.filter((m) => m.topic !== probe),
    async waitFor(match, what, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = got.find((x) => x.topic !== probe && match(x));
        if (m) return m;
        if (proc.exitCode !== null) throw new Error(`mosquitto_sub exited ${proc.exitCode} waiting for ${what}: ${stderr}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(sub.messages().slice(-10))}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: () => { proc.kill('SIGTERM'); },
  };
  const deadline = Date.now() + 15_000;
  while (!got.some((m) => m.topic === probe)) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`mosquitto_sub did not subscribe on port ${b.port}: ${stderr}`);
    }
    await mqttPublish(b, probe, 'probe').catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
  }
  return sub;
}
