import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { mqttNoDelay } from './no-delay.js';

/** A real connected socket whose setNoDelay calls are recorded (and still reach the socket). */
function recorded(sock: Socket, calls: boolean[]): Socket {
  const real = sock.setNoDelay.bind(sock);
  sock.setNoDelay = (v?: boolean) => { calls.push(v ?? true); return real(v); };
  return sock;
}

test('Nagle is turned off on the current socket and on the socket of every reconnect', async () => {
  const server = createServer((s) => s.resume());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const sockets: Socket[] = [];
  try {
    const first: boolean[] = [];
    const second: boolean[] = [];
    const client = Object.assign(new EventEmitter(), { stream: undefined as Socket | undefined });
    client.stream = recorded(connect(port, '127.0.0.1'), first);
    sockets.push(client.stream);
    assert.equal(mqttNoDelay(client), client);
    assert.deepEqual(first, [true]);
    // A reconnect: the client opens a new socket, then emits 'connect'.
    client.stream = recorded(connect(port, '127.0.0.1'), second);
    sockets.push(client.stream);
    client.emit('connect');
    assert.deepEqual(second, [true]);
    // Without a socket (a WebSocket transport has no setNoDelay) nothing is called and nothing throws.
    client.stream = undefined;
    client.emit('connect');
  } finally {
    for (const s of sockets) s.destroy();
    server.close();
  }
});
