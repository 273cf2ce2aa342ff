import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { certDerToPem, createCA, createKeyAndCSR, issueCertificate, signCSR, type KeyPairPem } from './index.js';

// Real mutual-TLS handshakes over loopback with the certificates this module issues, in the shape
// cloudhub uses: server cert for the host, client cert CN system:node:<node>, O system:nodes.

interface Peer {
  subject: { CN?: string; O?: string };
}

async function startServer(server: KeyPairPem, ca: KeyPairPem): Promise<tls.Server> {
  const srv = tls.createServer({
    key: server.keyPem,
    cert: server.certPem,
    ca: ca.certPem,
    requestCert: true,
    rejectUnauthorized: true,
  });
  srv.on('secureConnection', (socket) => {
    const peer = socket.getPeerCertificate() as unknown as Peer;
    socket.end(JSON.stringify({ cn: peer.subject.CN, o: peer.subject.O }));
  });
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  return srv;
}

function connect(srv: tls.Server, client: KeyPairPem, ca: KeyPairPem): tls.TLSSocket {
  const { port } = srv.address() as AddressInfo;
  return tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: ca.certPem, key: client.keyPem, cert: client.certPem });
}

async function readAll(socket: tls.TLSSocket): Promise<string> {
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (text += d));
  await once(socket, 'end');
  return text;
}

describe('certificates in a real TLS handshake', () => {
  let ca: KeyPairPem;
  let server: KeyPairPem;
  before(async () => {
    ca = await createCA('kubeedge-ts-ca');
    server = await issueCertificate(ca, {
      commonName: 'cloudcore',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
      usage: 'server',
    });
  });

  test('server and client authenticate each other; server sees CN and O', async () => {
    const client = await issueCertificate(ca, {
      commonName: 'system:node:edge-1',
      organization: ['system:nodes'],
      usage: 'client',
    });
    const srv = await startServer(server, ca);
    try {
      const socket = connect(srv, client, ca);
      await once(socket, 'secureConnect');
      assert.equal(socket.authorized, true);
      const peer = socket.getPeerCertificate() as unknown as Peer;
      assert.equal(peer.subject.CN, 'cloudcore');
      assert.deepEqual(JSON.parse(await readAll(socket)), { cn: 'system:node:edge-1', o: 'system:nodes' });
    } finally {
      srv.close();
    }
  });

  test('a client cert from a CSR signed by the CA is accepted', async () => {
    const { keyPem, csrDer } = await createKeyAndCSR({ commonName: 'system:node:edge-2', organization: ['system:nodes'] });
    const certPem = certDerToPem(await signCSR(ca, csrDer, { usage: 'client', commonName: 'system:node:edge-2' }));
    const srv = await startServer(server, ca);
    try {
      const socket = connect(srv, { certPem, keyPem }, ca);
      assert.deepEqual(JSON.parse(await readAll(socket)), { cn: 'system:node:edge-2', o: 'system:nodes' });
    } finally {
      srv.close();
    }
  });

  test('the server rejects a client cert from another CA', async () => {
    const otherCa = await createCA('intruder-ca');
    const intruder = await issueCertificate(otherCa, { commonName: 'system:node:edge-1', organization: ['system:nodes'], usage: 'client' });
    const srv = await startServer(server, ca);
    try {
      const outcome = Promise.race([
        once(srv, 'tlsClientError').then(() => 'rejected'),
        once(srv, 'secureConnection').then(() => 'accepted'),
      ]);
      const socket = connect(srv, intruder, ca);
      socket.on('error', () => undefined); // how the refusal surfaces on the client varies by TLS version
      let received = '';
      socket.on('data', (d: Buffer) => (received += d.toString()));
      await once(socket, 'close');
      // With TLS 1.3 the client may finish its side of the handshake before the server refuses it;
      // what matters is that the server never accepted the connection and sent nothing.
      assert.equal(await outcome, 'rejected');
      assert.equal(received, '');
    } finally {
      srv.close();
    }
  });

  test('the client rejects a server cert from another CA', async () => {
    const otherCa = await createCA('intruder-ca');
    const fakeServer = await issueCertificate(otherCa, { commonName: 'cloudcore', dnsNames: ['localhost'], usage: 'server' });
    const client = await issueCertificate(ca, { commonName: 'system:node:edge-1', usage: 'client' });
    const srv = await startServer(fakeServer, ca);
    srv.on('tlsClientError', () => undefined);
    try {
      const socket = connect(srv, client, ca);
      const [err] = (await once(socket, 'error')) as [Error & { code?: string }];
      assert.equal(err.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    } finally {
      srv.close();
    }
  });
});
