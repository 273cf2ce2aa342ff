// SPDY/3.1 framing, the subset the kubelet streaming server (moby/spdystream) needs from a client:
// SYN_STREAM out, DATA both ways, and SYN_REPLY, RST_STREAM, PING, GOAWAY in. Pure: bytes in, values out.
// Header blocks are zlib data shared across the session; we send stored (uncompressed) deflate blocks
// after one zlib header without a preset dictionary, which any zlib reader accepts, and we never need to
// read the server's header blocks. spdystream does no flow control, so WINDOW_UPDATE is never sent.

export const FrameType = { synStream: 1, synReply: 2, rstStream: 3, settings: 4, ping: 6, goAway: 7, headers: 8, windowUpdate: 9 } as const;
export const FLAG_FIN = 0x01;

export type SpdyFrame =
  | { kind: 'data'; streamId: number; fin: boolean; data: Buffer }
  | { kind: 'control'; type: number; flags: number; streamId: number; payload: Buffer };

/** Encodes name/value header blocks as a continuing zlib stream of stored blocks. */
export class HeaderBlockWriter {
  private started = false;

  encode(headers: Record<string, string>): Buffer {
    const pairs = Object.entries(headers);
    const parts: Buffer[] = [u32(pairs.length)];
    for (const [name, value] of pairs) {
      const n = Buffer.from(name.toLowerCase());
      const v = Buffer.from(value);
      parts.push(u32(n.length), n, u32(v.length), v);
    }
    const raw = Buffer.concat(parts);
    if (raw.length > 0xffff) throw new Error('SPDY header block too large');
    const len = Buffer.alloc(4);
    len.writeUInt16LE(raw.length, 0);
    len.writeUInt16LE(~raw.length & 0xffff, 2);
    // 0x78 0x01: zlib, deflate, 32K window, no preset dictionary. 0x00: a stored block, not the last.
    // It ends with an empty stored block (00 00 00 ff ff), the sync-flush marker: without it Go's flate
    // reader looks past the frame for the next block and fails every later header block.
    const head = this.started ? Buffer.alloc(0) : Buffer.from([0x78, 0x01]);
    this.started = true;
    return Buffer.concat([head, Buffer.from([0x00]), len, raw, SYNC_FLUSH]);
  }
}

const SYNC_FLUSH = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8003, 0); // control bit + version 3
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24 | payload.length) >>> 0, 4);
  return Buffer.concat([head, payload]);
}

export function synStreamFrame(streamId: number, headerBlock: Buffer, fin = false): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt32BE(streamId & 0x7fffffff, 0);
  fixed.writeUInt32BE(0, 4); // associated-to-stream-id
  fixed.writeUInt16BE(0, 8); // priority 0, slot 0
  return controlFrame(FrameType.synStream, fin ? FLAG_FIN : 0, Buffer.concat([fixed, headerBlock]));
}

export function dataFrame(streamId: number, data: Buffer, fin = false): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head.writeUInt32BE(((fin ? FLAG_FIN : 0) << 24 | data.length) >>> 0, 4);
  return Buffer.concat([head, data]);
}

export function pingFrame(id: number): Buffer {
  return controlFrame(FrameType.ping, 0, u32(id));
}

/** Splits a byte stream into frames; feed it chunks, it returns the complete frames so far. */
export class SpdyFrameReader {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): SpdyFrame[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const frames: SpdyFrame[] = [];
    while (this.buf.length >= 8) {
      const length = this.buf.readUInt32BE(4) & 0xffffff;
      if (this.buf.length < 8 + length) break;
      const flags = this.buf[4] ?? 0;
      const body = this.buf.subarray(8, 8 + length);
      const first = this.buf.readUInt32BE(0);
      if (first & 0x80000000) {
        const type = first & 0xffff;
        // SYN_STREAM, SYN_REPLY, RST_STREAM, HEADERS and WINDOW_UPDATE start with a stream id.
        const hasStream = type === FrameType.synStream || type === FrameType.synReply || type === FrameType.rstStream
          || type === FrameType.headers || type === FrameType.windowUpdate;
        const streamId = hasStream && body.length >= 4 ? body.readUInt32BE(0) & 0x7fffffff : 0;
        frames.push({ kind: 'control', type, flags, streamId, payload: Buffer.from(body) });
      } else {
        frames.push({ kind: 'data', streamId: first & 0x7fffffff, fin: (flags & FLAG_FIN) !== 0, data: Buffer.from(body) });
      }
      this.buf = this.buf.subarray(8 + length);
    }
    return frames;
  }
}
