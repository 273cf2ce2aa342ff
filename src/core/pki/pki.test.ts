import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import {
  certDerToPem,
  certInfo,
  createCA,
  createKeyAndCSR,
  derToPem,
  issueCertificate,
  pemToDer,
  PkiError,
  signCSR,
  verifyIssuedBy,
  type KeyPairPem,
} from './index.js';

const isCode = (code: string) => (e: unknown) => e instanceof PkiError && e.code === code;

describe('pki', () => {
  let ca: KeyPairPem;
  let otherCa: KeyPairPem;
  before(async () => {
    ca = await createCA('kubeedge-ts-ca');
    otherCa = await createCA('someone-else');
  });

  test('CA is a self-signed ECDSA P-256 CA with a PKCS#8 key', () => {
    const cert = new X509Certificate(ca.certPem);
    assert.equal(cert.ca, true);
    assert.equal(cert.subject, 'CN=kubeedge-ts-ca');
    assert.equal(cert.issuer, cert.subject);
    assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.ok(cert.verify(cert.publicKey));
    assert.match(ca.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    const info = certInfo(ca.certPem);
    assert.equal(info.commonName, 'kubeedge-ts-ca');
    assert.ok(info.notAfter.getTime() - Date.now() > 3000 * 24 * 3600 * 1000);
  });

  test('issued server cert carries SANs, EKU and the CA as issuer', async () => {
    const server = await issueCertificate(ca, {
      commonName: 'cloudcore',
      dnsNames: ['localhost', 'cloudcore.kubeedge'],
      ipAddresses: ['127.0.0.1', '::1'],
      usage: 'server',
      days: 30,
    });
    const cert = new X509Certificate(server.certPem);
    assert.equal(cert.ca, false);
    assert.equal(cert.issuer, 'CN=kubeedge-ts-ca');
    assert.ok(cert.verify(new X509Certificate(ca.certPem).publicKey));
    assert.match(cert.subjectAltName ?? '', /DNS:localhost, DNS:cloudcore\.kubeedge, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1/);
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    assert.equal(cert.checkHost('localhost'), 'localhost');
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
    const days = (certInfo(server.certPem).notAfter.getTime() - Date.now()) / 86400000;
    assert.ok(days > 29 && days <= 30);
    assert.equal(await verifyIssuedBy(server.certPem, ca.certPem), true);
    assert.equal(await verifyIssuedBy(server.certPem, otherCa.certPem), false);
  });

  test('certInfo reads CN, O, serial and fingerprint from PEM or DER alike', async () => {
    const client = await issueCertificate(ca, {
      commonName: 'system:node:edge-1',
      organization: ['system:nodes'],
      usage: 'client',
    });
    const info = certInfo(client.certPem);
    assert.equal(info.commonName, 'system:node:edge-1');
    assert.deepEqual(info.organization, ['system:nodes']);
    const node = new X509Certificate(client.certPem);
    assert.equal(info.fingerprintSha256, node.fingerprint256.replace(/:/g, '').toLowerCase());
    assert.equal(info.serial.toLowerCase(), node.serialNumber.toLowerCase());
    assert.deepEqual(certInfo(pemToDer(client.certPem)), info);
  });

  test('CSR round trip: edge key + CSR, cloud signs, cert matches the key', async () => {
    const { keyPem, csrDer } = await createKeyAndCSR({ commonName: 'system:node:edge-2', organization: ['system:nodes'] });
    const certDer = await signCSR(ca, csrDer, { usage: 'client', commonName: 'system:node:edge-2', organization: ['system:nodes'] });
    const certPem = certDerToPem(certDer);
    const cert = new X509Certificate(certPem);
    assert.equal(cert.subject, 'CN=system:node:edge-2\nO=system:nodes');
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2']);
    assert.ok(cert.checkPrivateKey((await import('node:crypto')).createPrivateKey(keyPem)));
    assert.equal(await verifyIssuedBy(certDer, ca.certPem), true);
  });

  test('signCSR enforces the subject and rejects garbage or tampered CSRs', async () => {
    const { csrDer } = await createKeyAndCSR({ commonName: 'system:node:edge-3', organization: ['system:masters'] });
    await assert.rejects(signCSR(ca, csrDer, { usage: 'client', commonName: 'system:node:edge-9' }), isCode('csr_subject_mismatch'));
    await assert.rejects(
      signCSR(ca, csrDer, { usage: 'client', organization: ['system:nodes'] }),
      isCode('csr_subject_mismatch'),
    );
    await assert.rejects(signCSR(ca, Uint8Array.from([1, 2, 3]), { usage: 'client' }), isCode('bad_csr'));
    const tampered = Uint8Array.from(csrDer);
    const at = Buffer.from(tampered).indexOf('edge-3');
    tampered[at] = 'E'.charCodeAt(0);
    await assert.rejects(signCSR(ca, tampered, { usage: 'client' }), isCode('bad_csr'));
  });

  test('PEM helpers', () => {
    const der = Uint8Array.from({ length: 100 }, (_, i) => i);
    const pem = derToPem(der, 'CERTIFICATE REQUEST');
    assert.match(pem, /^-----BEGIN CERTIFICATE REQUEST-----\n([A-Za-z0-9+/]{64}\n)+[A-Za-z0-9+/=]{1,64}\n-----END CERTIFICATE REQUEST-----\n$/);
    assert.deepEqual(pemToDer(pem), der);
    assert.throws(() => pemToDer('not pem'), isCode('bad_pem'));
    assert.throws(() => certInfo('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), isCode('bad_certificate'));
  });

  test('bad inputs to issueCertificate', async () => {
    await assert.rejects(issueCertificate(ca, { commonName: 'x', ipAddresses: ['not-an-ip'], usage: 'server' }), isCode('bad_input'));
    await assert.rejects(issueCertificate(ca, { commonName: '', usage: 'server' }), isCode('bad_input'));
    await assert.rejects(issueCertificate({ certPem: ca.certPem, keyPem: 'junk' }, { commonName: 'x', usage: 'server' }), isCode('bad_pem'));
  });
});
