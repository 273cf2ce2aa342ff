// An exec session: find the running container, start the command through the runtime (CRI Exec or
// the process runtime), pump stdin/stdout/stderr/resize, and report the exit code last.
import type { Readable } from 'node:stream';
import { StreamChannels, type ExecRequestFrame } from '../../core/tunnel/index.js';
import type { ContainerLocator } from '../edged/pod-contracts.js';
import type { ExecSession, RuntimeService } from '../runtime/types.js';
import type { EdgeSession } from './edge-session.js';
import { sessionErrorOf } from './errors.js';

export async function serveExec(s: EdgeSession, req: ExecRequestFrame, deps: { locator: ContainerLocator; runtime: RuntimeService }): Promise<void> {
  let exec: ExecSession;
  try {
    const loc = await deps.locator.locate(req.namespace, req.pod, req.container, false);
    if (!loc.running) {
      s.fail({ code: 'BadRequest', message: `container ${loc.containerName} is not running in pod ${req.namespace}/${req.pod}` });
      return;
    }
    if (req.checkOnly) {
      s.ready();
      s.close();
      return;
    }
    exec = await deps.runtime.exec({ containerId: loc.containerId, cmd: req.command, tty: req.tty, stdin: req.stdin, stdout: req.stdout, stderr: req.stderr && !req.tty });
  } catch (err) {
    s.fail(sessionErrorOf(err));
    return;
  }
  const stdin = exec.stdin;
  stdin?.on('error', () => undefined);
  s.input = {
    stdin: (bytes) => new Promise<void>((resolve) => {
      if (!stdin || stdin.destroyed || stdin.writableEnded) { resolve(); return; }
      stdin.write(bytes, () => resolve());
    }),
    stdinEnd: () => { stdin?.end(); },
    resize: (w, h) => exec.resize(w, h),
  };
  const onAbort = (): void => exec.close();
  s.signal.addEventListener('abort', onAbort, { once: true });
  s.ready();
  try {
    const pumps = Promise.all([pump(exec.stdout, StreamChannels.stdout, s), pump(exec.stderr, StreamChannels.stderr, s)]);
    const result = await exec.done;
    // Output written before the command ended goes out before its exit code.
    await pumps;
    s.exit(result.message === undefined ? { exitCode: result.exitCode } : { exitCode: result.exitCode, message: result.message });
  } catch (err) {
    if (!s.ended) s.fail(sessionErrorOf(err));
  } finally {
    s.signal.removeEventListener('abort', onAbort);
    if (!s.ended) exec.close();
  }
}

/** Async iteration pauses the stream while the tunnel has no room: backpressure reaches the command. */
async function pump(stream: Readable | null, channel: number, s: EdgeSession): Promise<void> {
  if (!stream) return;
  try {
    for await (const chunk of stream) {
      if (s.signal.aborted) break;
      await s.sendData(channel, Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    }
  } catch {
    // A stream cut by close() ends the pump; the exit code says the rest.
  }
}
