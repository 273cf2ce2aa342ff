import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy.js';

// The proxy against a local echo server: each mode's observable behaviour from the client's side.

let echo: Server;
let echoPort = 0;
const serverSockets = new Set<Socket>();

before(async () => {
  echo = createServer((s) => {
    serverSockets.add(s);
    s.on('close', () => serverSockets.delete(s));
    s.on('error', () => undefined);
    s.pipe(s);
  });
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  const addr = echo.address();
  echoPort = typeof addr === 'object' && addr ? addr.port : 0;
});
const proxies: FaultProxy[] = [];

after(async () => {
  for (const p of proxies) await p.close();
  for (const s of serverSockets) s.destroy();
  await new Promise<void>((r) => echo.close(() => r()));
});

async function proxy(random?: () => number): Promise<FaultProxy> {
  const p = await startFaultProxy({ target: { host: '127.0.0.1', port: echoPort }, ...(random ? { random } : {}) });
  proxies.push(p);
  return p;
}

interface Client { sock: Socket; received: () => string; closed: Promise<string> }

async function dial(port: number): Promise<Client> {
  const sock = connect({ host: '127.0.0.1', port });
  let data = '';
  sock.setEncoding('utf8').on('data', (d: string) => { data += d; });
  const closed = new Promise<string>((resolve) => {
    let code = 'closed';
    sock.on('error', (e: NodeJS.ErrnoException) => { code = e.code ?? 'error'; });
    sock.on('close', () => resolve(code));
  });
  // A refused connection may be reset before the client sees it connect.
  await Promise.race([new Promise((r) => sock.once('connect', r)), closed]);
  return { sock, received: () => data, closed };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('fault proxy', () => {
  test('pass forwards both ways and counts bytes', async () => {
    const p = await proxy();
    const c = await dial(p.port);
    c.sock.write('hello');
    await until(() => c.received() === 'hello', 'echo');
    assert.equal(p.stats().bytesUp, 5);
    assert.equal(p.stats().bytesDown, 5);
    assert.equal(p.stats().connections, 1);
    assert.equal(p.stats().active, 1);
    c.sock.end();
    await c.closed;
    await until(() => p.stats().active === 0, 'connection closed');
    await p.close();
  });

  test('delay keeps the order of chunks', async () => {
    const p = await proxy();
    p.setMode({ kind: 'delay', ms: 30 });
    const c = await dial(p.port);
    const parts = Array.from({ length: 20 }, (_, i) => `<${i}>`);
    for (const part of parts) { c.sock.write(part); await sleep(2); }
    p.setMode({ kind: 'pass' });
    c.sock.write('<end>');
    const want = `${parts.join('')}<end>`;
    await until(() => c.received() === want, 'all chunks in order');
    c.sock.destroy();
    await p.close();
  });

  test('blackhole keeps the socket open and delivers nothing; pass resumes', async () => {
    const p = await proxy();
    const c = await dial(p.port);
    c.sock.write('a');
    await until(() => c.received() === 'a', 'first echo');
    p.setMode({ kind: 'blackhole' });
    c.sock.write('swallowed');
    await sleep(150);
    assert.equal(c.received(), 'a');
    assert.equal(c.sock.destroyed, false);
    assert.equal(p.stats().bytesDiscarded, 'swallowed'.length);
    p.setMode({ kind: 'pass' });
    c.sock.write('b');
    await until(() => c.received() === 'ab', 'echo after blackhole');
    c.sock.destroy();
    await p.close();
  });

  test('refuse closes new connections at once and leaves open ones alone', async () => {
    const p = await proxy();
    const open = await dial(p.port);
    p.setMode({ kind: 'refuse' });
    const refused = await dial(p.port);
    const code = await refused.closed;
    assert.ok(code === 'ECONNRESET' || code === 'closed', code);
    assert.equal(p.stats().refused, 1);
    open.sock.write('still');
    await until(() => open.received() === 'still', 'echo on the old connection');
    open.sock.destroy();
    await p.close();
  });

  test('drop resets a connection on a chunk with the given probability', async () => {
    const rolls = [0.9, 0.1]; // connection accepted (0.9 ≥ 0.5), first chunk dropped (0.1 < 0.5)
    const p = await proxy(() => rolls.shift() ?? 1);
    p.setMode({ kind: 'drop', probability: 0.5 });
    const c = await dial(p.port);
    c.sock.write('x');
    const code = await c.closed;
    assert.ok(code === 'ECONNRESET' || code === 'closed', code);
    assert.equal(c.received(), '');
    assert.equal(p.stats().cuts, 1);
    await p.close();
  });

  test('drop with probability 0 passes everything', async () => {
    const p = await proxy(() => 0.5);
    p.setMode({ kind: 'drop', probability: 0 });
    const c = await dial(p.port);
    c.sock.write('ok');
    await until(() => c.received() === 'ok', 'echo');
    assert.equal(p.stats().cuts, 0);
    c.sock.destroy();
    await p.close();
  });

  test('cutAll resets every open connection and counts the cuts', async () => {
    const p = await proxy();
    const a = await dial(p.port);
    const b = await dial(p.port);
    a.sock.write('1');
    b.sock.write('2');
    await until(() => a.received() === '1' && b.received() === '2', 'echoes');
    assert.equal(p.cutAll(), 2);
    const codes = await Promise.all([a.closed, b.closed]);
    for (const code of codes) assert.ok(code === 'ECONNRESET' || code === 'closed', code);
    assert.equal(p.stats().cuts, 2);
    assert.equal(p.stats().active, 0);
    const again = await dial(p.port);
    again.sock.write('3');
    await until(() => again.received() === '3', 'new connection after the cut');
    again.sock.destroy();
    await p.close();
  });
});
