// Client side of the kubelet streaming protocol containerd's streaming server speaks for Exec
// (k8s.io/apimachinery wsstream, subprotocols v4/v5.channel.k8s.io). Every binary message starts with a
// channel byte: 0 stdin, 1 stdout, 2 stderr, 3 error (a metav1.Status as JSON, sent once before the
// server closes), 4 resize ({"Width","Height"}). v5 adds 255 <channel> to close one stream, the only way
// to send stdin EOF; on v4 stdin ends only when the session closes.
import { PassThrough, Writable } from 'node:stream';
import WebSocket from 'ws';
import type { ExecSession } from '../types.js';
import { RuntimeError } from '../types.js';

export const EXEC_SUBPROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

export type ExecOutcome = { exitCode: number | null; message?: string };

/** metav1.Status from the error channel -> exit code: 0 on Success, the ExitCode cause on NonZeroExitCode. */
export function parseExecStatus(text: string): ExecOutcome {
  let status: { status?: string; message?: string; details?: { causes?: { reason?: string; message?: string }[] } };
  try {
    status = JSON.parse(text) as typeof status;
  } catch {
    return { exitCode: null, message: text.trim() };
  }
  if (status.status === 'Success') return { exitCode: 0 };
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = cause?.message !== undefined ? Number.parseInt(cause.message, 10) : Number.NaN;
  const message = status.message ?? 'exec failed';
  return Number.isFinite(code) ? { exitCode: code, message } : { exitCode: null, message };
}

export function frame(channel: number, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  return Buffer.concat([Buffer.from([channel]), body]);
}

function asBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export interface ExecStreamOptions {
  tty: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  connectTimeoutMs: number;
}

export function openExecStream(url: string, opts: ExecStreamOptions): Promise<ExecSession> {
  const wsUrl = url.replace(/^http/, 'ws');
  const ws = new WebSocket(wsUrl, [...EXEC_SUBPROTOCOLS], { handshakeTimeout: opts.connectTimeoutMs });
  const stdout = opts.stdout ? new PassThrough() : null;
  const stderr = opts.stderr && !opts.tty ? new PassThrough() : null;
  const errorChannel: Buffer[] = [];
  let lastError = '';
  const isOpen = (): boolean => ws.readyState === WebSocket.OPEN;
  // Writes after the command ended are dropped: the process is gone and a pipe into stdin must not crash us.
  const send = (data: Buffer, cb: () => void): void => (isOpen() ? ws.send(data, () => cb()) : cb());

  const stdin = opts.stdin
    ? new Writable({
      write: (chunk: Buffer, _enc, cb) => send(frame(Channel.stdin, chunk), () => cb()),
      final: (cb) => (ws.protocol === 'v5.channel.k8s.io' ? send(Buffer.from([Channel.close, Channel.stdin]), () => cb()) : cb()),
    })
    : null;

  const done = new Promise<ExecOutcome>((resolve) => {
    ws.on('close', () => {
      stdout?.end();
      stderr?.end();
      stdin?.destroy();
      if (errorChannel.length > 0) resolve(parseExecStatus(Buffer.concat(errorChannel).toString('utf8')));
      else resolve({ exitCode: null, message: lastError || 'exec stream closed without a status' });
    });
  });

  ws.on('message', (data) => {
    const buf = asBuffer(data);
    if (buf.length < 2) return; // the server opens each stream with an empty frame
    const payload = buf.subarray(1);
    if (buf[0] === Channel.stdout) stdout?.write(payload);
    else if (buf[0] === Channel.stderr) (stderr ?? stdout)?.write(payload);
    else if (buf[0] === Channel.error) errorChannel.push(payload);
  });

  const session: ExecSession = {
    stdin, stdout, stderr, done,
    resize(cols, rows) {
      if (opts.tty && isOpen()) ws.send(frame(Channel.resize, JSON.stringify({ Width: cols, Height: rows })));
    },
    close() {
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else if (isOpen()) ws.close(1000);
    },
  };

  return new Promise<ExecSession>((resolve, reject) => {
    ws.once('open', () => resolve(session));
    ws.on('error', (err) => {
      lastError = err.message;
      reject(new RuntimeError('Unavailable', `CRI Exec: streaming server ${new URL(wsUrl).host} refused the session: ${err.message}`, { cause: err }));
    });
  });
}
