// Node's sockets start with Nagle's algorithm on; Go's (KubeEdge, paho device apps) start with it
// off. For MQTT's many small packets Nagle plus the peer's delayed ACK holds a publish back up to
// 40 ms on Linux, so every MQTT socket of ours turns it off.

interface NoDelaySocket {
  setNoDelay(noDelay?: boolean): unknown;
}

function hasNoDelay(s: unknown): s is NoDelaySocket {
  return typeof s === 'object' && s !== null && typeof (s as Partial<NoDelaySocket>).setNoDelay === 'function';
}

/** An mqtt.js client: `stream` is its current socket (TCP or TLS), replaced on every reconnect. */
export interface StreamClient {
  readonly stream?: unknown;
  on(event: 'connect', listener: () => void): unknown;
}

/** Turns Nagle off on the client's socket now and on each socket a reconnect opens. */
export function mqttNoDelay<C extends StreamClient>(client: C): C {
  const apply = (): void => {
    if (hasNoDelay(client.stream)) client.stream.setNoDelay(true);
  };
  apply();
  client.on('connect', apply);
  return client;
}
