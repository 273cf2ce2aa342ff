// edgestream: the edge end of the kubectl logs/exec tunnel to cloudcore's cloudstream.
export { startEdgeStream } from './edge-stream.js';
export type { EdgeStream, EdgeStreamOptions, EdgeStreamState } from './edge-stream.js';
export { tunnelUrl } from './dial.js';
export type { TunnelTls } from './dial.js';
