// Exec over SPDY/3.1, as kubectl and kubelet clients do: an HTTP upgrade to the streaming server with
// X-Stream-Protocol-Version v4.channel.k8s.io, then one SPDY stream per channel, named by a `streamtype`
// header (error, stdin, stdout, stderr, resize), created in that order and exactly as the Exec request
// asked (the server waits for that set). Unlike websocket v4 it can half-close stdin, so `cat` sees EOF.
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import type { ExecSession } from '../types.js';
import { RuntimeError } from '../types.js';
import { parseExecStatus, type ExecOutcome, type ExecStreamOptions } from './exec-stream.js';
import { FrameType, HeaderBlockWriter, SpdyFrameReader, dataFrame, pingFrame, synStreamFrame, type SpdyFrame } from './spdy-frames.js';

type StreamType = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';

function plan(opts: ExecStreamOptions): StreamType[] {
  const types: StreamType[] = ['error'];
  if (opts.stdin) types.push('stdin');
  if (opts.stdout) types.push('stdout');
  if (opts.stderr && !opts.tty) types.push('stderr');
  if (opts.tty) types.push('resize');
  return types;
}

function session(socket: Socket, head: Buffer, opts: ExecStreamOptions): ExecSession {
  const headers = new HeaderBlockWriter();
  const ids = new Map<StreamType, number>();
  const types = new Map<number, StreamType>();
  plan(opts).forEach((type, i) => {
    const id = 1 + 2 * i; // client streams are odd
    ids.set(type, id);
    types.set(id, type);
    socket.write(synStreamFrame(id, headers.encode({ streamtype: type })));
  });
  const stdout = opts.stdout ? new PassThrough() : null;
  const stderr = ids.has('stderr') ? new PassThrough() : null;
  const errorData: Buffer[] = [];
  const replied = new Set<number>();
  // Frames for a stream the server has not acknowledged yet are dropped by spdystream: hold them.
  const held = new Map<number, Buffer[]>();
  const send = (id: number, frame: Buffer): void => {
    if (socket.destroyed) return;
    if (replied.has(id)) socket.write(frame);
    else held.set(id, [...(held.get(id) ?? []), frame]);
  };
  const output = (type: StreamType | undefined): PassThrough | null =>
    type === 'stdout' ? stdout : type === 'stderr' ? stderr : null;

  const onFrame = (f: SpdyFrame): void => {
    if (f.kind === 'data') {
      const type = types.get(f.streamId);
      if (type === 'error') errorData.push(f.data);
      else if (f.data.length > 0) output(type)?.write(f.data);
      if (f.fin) output(type)?.end();
      return;
    }
    if (f.type === FrameType.synReply) {
      replied.add(f.streamId);
      for (const frame of held.get(f.streamId) ?? []) socket.write(frame);
      held.delete(f.streamId);
    } else if (f.type === FrameType.rstStream) {
      output(types.get(f.streamId))?.end();
    } else if (f.type === FrameType.ping && f.payload.length >= 4) {
      socket.write(pingFrame(f.payload.readUInt32BE(0)));
    }
  };
  const reader = new SpdyFrameReader();
  const feed = (chunk: Buffer): void => { for (const f of reader.push(chunk)) onFrame(f); };
  socket.on('data', feed);
  if (head.length > 0) feed(head);

  const stdinId = ids.get('stdin');
  const stdin = stdinId === undefined ? null : new Writable({
    write: (chunk: Buffer, _enc, cb) => { send(stdinId, dataFrame(stdinId, chunk)); cb(); },
    final: (cb) => { send(stdinId, dataFrame(stdinId, Buffer.alloc(0), true)); cb(); },
  });
  const done = new Promise<ExecOutcome>((resolve) => {
    socket.on('close', () => {
      stdout?.end();
      stderr?.end();
      stdin?.destroy();
      resolve(errorData.length > 0 ? parseExecStatus(Buffer.concat(errorData).toString('utf8')) : { exitCode: null, message: 'exec stream closed without a status' });
    });
  });
  socket.on('error', () => { /* 'close' follows and settles done */ });
  return {
    stdin, stdout, stderr, done,
    resize(cols, rows) {
      const id = ids.get('resize');
      if (id !== undefined) send(id, dataFrame(id, Buffer.from(JSON.stringify({ Width: cols, Height: rows }))));
    },
    close() { socket.destroy(); },
  };
}

export function openSpdyExec(url: string, opts: ExecStreamOptions): Promise<ExecSession> {
  return new Promise<ExecSession>((resolve, reject) => {
    const where = new URL(url).host;
    const req = request(url, {
      method: 'POST',
      headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' },
      timeout: opts.connectTimeoutMs,
    });
    req.on('upgrade', (_res, socket: Socket, head: Buffer) => {
      socket.setNoDelay(true);
      resolve(session(socket, head, opts));
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () =>
        reject(new RuntimeError('Unavailable', `CRI Exec: streaming server ${where} answered ${res.statusCode}: ${body.trim()}`)));
    });
    req.on('timeout', () => req.destroy(new Error(`no upgrade within ${opts.connectTimeoutMs} ms`)));
    req.on('error', (err) => reject(new RuntimeError('Unavailable', `CRI Exec: streaming server ${where} refused the session: ${err.message}`, { cause: err })));
    req.end();
  });
}
