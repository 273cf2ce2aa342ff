// tunnel: the framing shared by cloudstream and edgestream (kubectl logs/exec over one WebSocket per node).
export {
  FrameTypes, FrameError, TUNNEL_PATH, TUNNEL_NODE_HEADER, INITIAL_WINDOW_BYTES, MAX_DATA_CHUNK, StreamChannels,
  encodeFrame, decodeFrame, encodeJson, payloadJson, encodeData, dataOf, encodeWindow, windowOf,
} from './frames.js';
export type { Frame, FrameType } from './frames.js';
export { parseSessionRequest, parseSessionError, parseExit } from './requests.js';
export type { LogsRequest, ExecRequestFrame, SessionRequest, SessionError, SessionErrorCode, ExitInfo } from './requests.js';
export { SendWindow } from './send-window.js';
