// The stream tunnel's framing (cloudstream <-> edgestream), one binary WebSocket message per frame:
//   type u8 | session u32 (big-endian) | payload
// Beyond KubeEdge (whose stream tunnel wraps JSON messages per session): many logs/exec sessions
// share one WebSocket per node, and each direction of a session has a byte window so one slow
// client never makes the other side buffer without bound. Pure: bytes in, values out.

/** Where the edge dials the tunnel: wss://<cloudcore>:<tunnelPort>/v1/tunnel. */
export const TUNNEL_PATH = '/v1/tunnel';
/** Header the edge sends with its node name; must match the client certificate's CN (system:node:<name>). */
export const TUNNEL_NODE_HEADER = 'node_id';

export const FrameTypes = {
  /** cloud -> edge: start a session; payload JSON SessionRequest. */
  open: 1,
  /** edge -> cloud: the container was found (and exec started); data may follow. Empty payload. */
  ready: 2,
  /** both: channel u8 | bytes (1 stdout/log, 2 stderr edge->cloud; 0 stdin cloud->edge). */
  data: 3,
  /** cloud -> edge: the client closed stdin. Empty payload. */
  stdinEnd: 4,
  /** cloud -> edge: terminal size, JSON { width, height }. */
  resize: 5,
  /** edge -> cloud: the command ended, JSON { exitCode: number | null, message? }; ends the session. */
  exit: 6,
  /** edge -> cloud: the session failed, JSON SessionError; ends the session. */
  error: 7,
  /** both: the session is over (logs drained on the edge; client gone on the cloud). Empty payload. */
  close: 8,
  /** both: the receiver consumed this many more data bytes, u32; the sender may send that much more. */
  window: 9,
} as const;
export type FrameType = (typeof FrameTypes)[keyof typeof FrameTypes];

/** Data bytes either side may have in flight per session before the receiver grants more. */
export const INITIAL_WINDOW_BYTES = 256 * 1024;
/** The largest data payload a sender puts in one frame. */
export const MAX_DATA_CHUNK = 32 * 1024;

export const StreamChannels = { stdin: 0, stdout: 1, stderr: 2 } as const;

export interface Frame {
  type: FrameType;
  session: number;
  payload: Buffer;
}

export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

const HEADER = 5;
const knownTypes = new Set<number>(Object.values(FrameTypes));

export function encodeFrame(type: FrameType, session: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const out = Buffer.allocUnsafe(HEADER + payload.length);
  out.writeUInt8(type, 0);
  out.writeUInt32BE(session >>> 0, 1);
  payload.copy(out, HEADER);
  return out;
}

export function decodeFrame(buf: Buffer): Frame {
  if (buf.length < HEADER) throw new FrameError(`frame of ${buf.length} bytes is shorter than its ${HEADER}-byte header`);
  const type = buf.readUInt8(0);
  if (!knownTypes.has(type)) throw new FrameError(`unknown frame type ${type}`);
  return { type: type as FrameType, session: buf.readUInt32BE(1), payload: buf.subarray(HEADER) };
}

export const encodeJson = (type: FrameType, session: number, value: unknown): Buffer =>
  encodeFrame(type, session, Buffer.from(JSON.stringify(value), 'utf8'));

/** The payload as a JSON object; throws FrameError when it is not one. */
export function payloadJson(frame: Frame): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(frame.payload.toString('utf8'));
  } catch {
    throw new FrameError(`frame type ${frame.type} carries invalid JSON`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new FrameError(`frame type ${frame.type} must carry a JSON object`);
  return v as Record<string, unknown>;
}

export function encodeData(session: number, channel: number, bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER + 1 + bytes.length);
  out.writeUInt8(FrameTypes.data, 0);
  out.writeUInt32BE(session >>> 0, 1);
  out.writeUInt8(channel, HEADER);
  bytes.copy(out, HEADER + 1);
  return out;
}

export function dataOf(frame: Frame): { channel: number; bytes: Buffer } {
  if (frame.payload.length < 1) throw new FrameError('data frame without a channel byte');
  return { channel: frame.payload.readUInt8(0), bytes: frame.payload.subarray(1) };
}

export function encodeWindow(session: number, bytes: number): Buffer {
  const p = Buffer.allocUnsafe(4);
  p.writeUInt32BE(bytes >>> 0, 0);
  return encodeFrame(FrameTypes.window, session, p);
}

export function windowOf(frame: Frame): number {
  if (frame.payload.length !== 4) throw new FrameError('window frame payload must be 4 bytes');
  return frame.payload.readUInt32BE(0);
}
