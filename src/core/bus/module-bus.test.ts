import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { buildResponse, newMessage, type Message } from '../protocol/index.js';
import {
  BusClosedError,
  DuplicateModuleError,
  DuplicateRequestError,
  MailboxFullError,
  ModuleBus,
  TimeoutError,
  UnknownModuleError,
} from './index.js';

function msg(source: string, resource = 'default/pod/x', operation = 'insert'): Message {
  return newMessage({ source, group: 'resource', operation, resource, content: null });
}

describe('ModuleBus routing', () => {
  test('send delivers in order to the named module only', async () => {
    const bus = new ModuleBus();
    const meta = bus.register('metamanager', 'meta');
    const edged = bus.register('edged', 'edged');
    const a = msg('edgehub', 'default/pod/a');
    const b = msg('edgehub', 'default/pod/b');
    bus.send('metamanager', a);
    bus.send('metamanager', b);
    assert.equal(await meta.receive(), a);
    assert.equal(await meta.receive(), b);
    assert.equal(edged.size, 0);
    bus.close();
  });

  test('a waiting receiver gets the message sent later', async () => {
    const bus = new ModuleBus();
    const mb = bus.register('edged', 'edged');
    const pending = mb.receive();
    const m = msg('metamanager');
    bus.send('edged', m);
    assert.equal(await pending, m);
    bus.close();
  });

  test('sendToGroup reaches every member of the group', () => {
    const bus = new ModuleBus();
    const t1 = bus.register('devicetwin', 'twin');
    const t2 = bus.register('twin-helper', 'twin');
    const other = bus.register('metamanager', 'meta');
    assert.equal(bus.sendToGroup('twin', msg('edgehub')), 2);
    assert.equal(t1.size, 1);
    assert.equal(t2.size, 1);
    assert.equal(other.size, 0);
    assert.equal(bus.sendToGroup('nobody', msg('edgehub')), 0);
    bus.close();
  });

  test('unknown module and duplicate registration are typed errors', async () => {
    const bus = new ModuleBus();
    bus.register('edged', 'edged');
    assert.throws(() => bus.send('nope', msg('x')), UnknownModuleError);
    assert.throws(() => bus.register('edged', 'other'), DuplicateModuleError);
    await assert.rejects(bus.sendSync('nope', msg('x'), 1000), UnknownModuleError);
    assert.equal(bus.pendingCount, 0);
    bus.close();
  });

  test('a full mailbox refuses send and is skipped by sendToGroup', () => {
    const bus = new ModuleBus({ mailboxCapacity: 2 });
    const small = bus.register('small', 'g');
    const big = bus.register('big', 'g');
    bus.send('small', msg('a'));
    bus.send('small', msg('a'));
    assert.throws(() => bus.send('small', msg('a')), MailboxFullError);
    assert.equal(bus.sendToGroup('g', msg('b')), 1);
    assert.equal(small.size, 2);
    assert.equal(big.size, 1);
    bus.close();
  });

  test('for await iterates until the mailbox is closed', async () => {
    const bus = new ModuleBus();
    const mb = bus.register('edged', 'edged');
    bus.send('edged', msg('a', 'default/pod/1'));
    bus.send('edged', msg('a', 'default/pod/2'));
    const seen: string[] = [];
    for await (const m of mb) {
      seen.push(m.route.resource);
      if (seen.length === 2) mb.close();
    }
    assert.deepEqual(seen, ['default/pod/1', 'default/pod/2']);
    assert.equal(bus.has('edged'), false);
    assert.throws(() => bus.send('edged', msg('a')), UnknownModuleError);
  });

  test('messages(signal) ends when the signal aborts', async () => {
    const bus = new ModuleBus();
    const mb = bus.register('edged', 'edged');
    const ac = new AbortController();
    const loop = (async () => {
      let n = 0;
      for await (const _ of mb.messages(ac.signal)) n++;
      return n;
    })();
    bus.send('edged', msg('a'));
    setImmediate(() => ac.abort());
    assert.equal(await loop, 1);
    assert.equal(mb.closed, false);
    bus.close();
  });
});

describe('ModuleBus sendSync / sendResp', () => {
  test('correlates concurrent requests by parent_msg_id, answered out of order', async () => {
    const bus = new ModuleBus();
    const meta = bus.register('metamanager', 'meta');
    const reqs = [msg('edged', 'default/pod/a', 'query'), msg('edged', 'default/pod/b', 'query'), msg('edged', 'default/pod/c', 'query')];
    const replies = reqs.map((r) => bus.sendSync('metamanager', r, 5000));
    const received: Message[] = [];
    for (let i = 0; i < reqs.length; i++) received.push(await meta.receive());
    assert.ok(received.every((r) => r.header.sync === true));
    assert.ok(reqs.every((r) => r.header.sync === undefined), 'caller message is not mutated');
    for (const r of [...received].reverse()) {
      assert.equal(bus.sendResp(buildResponse(r, `answer ${r.route.resource}`)), true);
    }
    const answers = await Promise.all(replies);
    assert.deepEqual(
      answers.map((a) => a.content),
      ['answer default/pod/a', 'answer default/pod/b', 'answer default/pod/c'],
    );
    assert.deepEqual(
      answers.map((a) => a.header.parent_msg_id),
      reqs.map((r) => r.header.msg_id),
    );
    assert.equal(bus.pendingCount, 0);
    bus.close();
  });

  test('times out with a TimeoutError naming module and message', async () => {
    const bus = new ModuleBus();
    bus.register('metamanager', 'meta');
    const req = msg('edged');
    await assert.rejects(bus.sendSync('metamanager', req, 10), (err: unknown) => {
      assert.ok(err instanceof TimeoutError);
      assert.equal(err.module, 'metamanager');
      assert.equal(err.msgId, req.header.msg_id);
      return true;
    });
    assert.equal(bus.pendingCount, 0);
    // a late response finds no waiter and goes to the requester's mailbox, if any
    assert.equal(bus.sendResp(buildResponse(req, 'late')), false);
    bus.close();
  });

  test('responses without a waiter go to destination, else to source', async () => {
    const bus = new ModuleBus();
    const edged = bus.register('edged', 'edged');
    const hub = bus.register('edgehub', 'hub');
    const req = msg('edged', 'default/pod/x', 'query');
    const resp = buildResponse(req, 'r1');
    assert.equal(bus.sendResp(resp), true);
    assert.equal((await edged.receive()).content, 'r1');
    const routed: Message = { ...resp, route: { ...resp.route, destination: 'edgehub' } };
    assert.equal(bus.sendResp(routed), true);
    assert.equal(await hub.receive(), routed);
    assert.equal(bus.sendResp(buildResponse(msg('gone'), 'x')), false);
    bus.close();
  });

  test('close rejects waiting requests and receivers', async () => {
    const bus = new ModuleBus();
    const mb = bus.register('metamanager', 'meta');
    const other = bus.register('edged', 'edged');
    const waiting = bus.sendSync('metamanager', msg('edged'), 5000);
    await mb.receive();
    const receiving = other.receive();
    bus.close();
    await assert.rejects(waiting, BusClosedError);
    await assert.rejects(receiving, BusClosedError);
    assert.throws(() => bus.register('x', 'y'), BusClosedError);
    assert.throws(() => bus.send('edged', msg('a')), BusClosedError);
  });

  test('a second sendSync with a waiting msg_id is refused', async () => {
    const bus = new ModuleBus();
    bus.register('metamanager', 'meta');
    const req = msg('edged');
    const first = bus.sendSync('metamanager', req, 5000);
    await assert.rejects(bus.sendSync('metamanager', req, 5000), DuplicateRequestError);
    bus.close();
    await assert.rejects(first, BusClosedError);
  });

  test('unregistering the target rejects its pending requests at once', async () => {
    const bus = new ModuleBus();
    bus.register('metamanager', 'meta');
    const waiting = bus.sendSync('metamanager', msg('edged'), 5000);
    bus.unregister('metamanager');
    await assert.rejects(waiting, BusClosedError);
    bus.close();
  });
});
